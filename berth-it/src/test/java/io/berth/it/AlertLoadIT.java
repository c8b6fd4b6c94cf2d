package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An alert under real load on the {@link EtcdCluster}: an app whose every request burns CPU in a CGI
 * script, driven by wrk through a real router's nginx; its manifest's rule {@code requests > 20}
 * with {@code for: 10s} fires within its {@code for} plus 20 s of the load step, on the routers'
 * numbers, and resolves once the load ends. The load lasts until the rule fires, at more than 20
 * requests a second throughout, with no failed request.
 */
@EtcdCluster
class AlertLoadIT {
  static final String APP = """
      name: hot
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www/cgi-bin && echo ok > /www/index.html && printf '#!/bin/sh\\\\necho Content-Type: text/plain\\\\necho\\\\ni=0\\\\nwhile [ $i -lt 500 ]; do i=$((i+1)); done\\\\necho burnt\\\\n' > /www/cgi-bin/burn && chmod +x /www/cgi-bin/burn && exec httpd -f -p 8080 -h /www"]
      instances: 1
      memory: 32m
      ports: [8080]
      health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}
      routes: [hot.berth.local]
      alerts:
        - name: busy
          when: requests > 20
          for: 10s
      """;
  static Cluster cluster;
  static Path dir;

  @BeforeAll
  static void keep(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-alert-load-it");
  }

  @AfterAll
  static void removeTheApp() throws Exception {
    if (cluster.manager().isAlive() && cluster.api().get("/v1/apps/hot") != null) cluster.berth(Duration.ofSeconds(60), "app", "rm", "hot");
  }

  static String state() {
    JsonNode rules = cluster.api().get("/v1/apps/hot/alerts");
    if (rules != null) for (JsonNode r : rules) if (r.path("name").asText().equals("busy")) return r.path("state").asText();
    return "";
  }

  @Test
  void aRequestsRuleFiresWithinItsForPlus20sOfWrksLoadAndResolvesAfter() throws Exception {
    try (TestRouter router = TestRouter.start(cluster, dir)) {
      BerthProcess.Result deployed = cluster.berth(Duration.ofSeconds(120), "app", "deploy", "-f",
          Files.writeString(dir.resolve("hot.yml"), APP).toString());
      assertThat(deployed.exit()).as(deployed.out() + deployed.err()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> router.instances(cluster).size() == 1);
      assertThat(HostLoad.once("127.0.0.1", router.port(), "hot.berth.local")).startsWith("200 ok");
      assertThat(state()).isIn("inactive", "");

      long step = System.nanoTime();
      try (Wrk.Running load = Wrk.start("127.0.0.1", router.port(), "hot.berth.local", 2, Duration.ofSeconds(90), "/cgi-bin/burn")) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> "firing".equals(state()));
        System.out.printf("alert: busy firing %.1f s after the load step (for 10s)%n", (System.nanoTime() - step) / 1e9);
        Wrk w = load.stop();
        assertThat(w.failed()).as(w.output()).isZero();
        assertThat(w.perSecond()).as(w.output()).isGreaterThan(20);
      }

      await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> "resolved".equals(state()));
      JsonNode history = cluster.api().get("/v1/alerts/history?app=hot");
      assertThat(history.toString()).contains("\"to\":\"pending\"", "\"to\":\"firing\"", "\"to\":\"resolved\"");
    }
  }
}

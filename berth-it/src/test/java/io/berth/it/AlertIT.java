package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Alert rules evaluated by the leader of the {@link EtcdCluster} (nodes 24-26, etcd): a rule that
 * comes with a deploy's manifest goes pending then firing within its {@code for} plus two
 * evaluations, the CLI's rules and mutes work beside it, and it resolves once the app scales past
 * the threshold. Notifications are the notifications' own ITs.
 */
@EtcdCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertIT {
  static Cluster cluster;
  static Path dir;
  static final String APP = """
      name: alerty
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 1
      memory: 32m
      ports: [8080]
      alerts:
        - name: few
          when: instances_running < 2
          for: 10s
          severity: critical
      """;

  @BeforeAll
  static void setUp(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-alert-it");
  }

  @AfterAll
  static void removeTheApp() throws Exception {
    if (cluster.manager().isAlive() && cluster.api().get("/v1/apps/alerty") != null) berth("app", "rm", "alerty");
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(120), args);
  }

  static JsonNode rule(String name) {
    JsonNode rules = cluster.api().get("/v1/apps/alerty/alerts");
    if (rules == null) return null;
    for (JsonNode r : rules) if (r.path("name").asText().equals(name)) return r;
    return null;
  }

  static List<String> transitions() {
    List<String> out = new ArrayList<>();
    JsonNode h = cluster.api().get("/v1/alerts/history?app=alerty");
    if (h != null) for (JsonNode t : h) out.add(0, t.path("rule").asText() + " " + t.path("to").asText());
    return out;
  }

  @Test
  @Order(1)
  void aRuleFromTheManifestArrivesWithTheDeployAndFiresAfterItsFor() throws Exception {
    Path file = dir.resolve("alerty.yml");
    Files.writeString(file, APP);
    long t0 = System.nanoTime();
    BerthProcess.Result r = berth("app", "deploy", "-f", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(rule("few").path("source").asText()).isEqualTo("manifest");
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
        .until(() -> "firing".equals(rule("few").path("state").asText()));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("for 10s plus two 10 s evaluations, and the deploy").isLessThan(Duration.ofSeconds(45));
    assertThat(transitions()).containsSubsequence("few pending", "few firing");
    JsonNode firing = cluster.api().get("/v1/alerts");
    assertThat(firing.toString()).contains("\"name\":\"few\"").contains("\"state\":\"firing\"");
  }

  @Test
  @Order(2)
  void theClisRulesAndMutesStandBesideTheManifests() throws Exception {
    BerthProcess.Result r = berth("alert", "add", "alerty", "--name", "busy", "--when", "cpu > 1000%", "--for", "1m");
    assertThat(r.exit()).as(r.err()).isZero();
    r = berth("alert", "add", "alerty", "--name", "bad", "--when", "cpux > 1");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("unknown metric 'cpux' at 1");
    assertThat(berth("alert", "mute", "alerty/few", "--for", "1h").exit()).isZero();
    assertThat(rule("few").path("muted_until").isTextual()).isTrue();
    r = berth("alert", "rm", "alerty/few");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("remove it there and deploy");
    assertThat(berth("alert", "ls", "alerty").out()).contains("alerty/few").contains("alerty/busy");
    assertThat(berth("alert", "unmute", "alerty/few").exit()).isZero();
  }

  @Test
  @Order(3)
  void itResolvesOnceTheAppHasEnoughInstances() throws Exception {
    assertThat(berth("app", "scale", "alerty", "2").exit()).isZero();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> "resolved".equals(rule("few").path("state").asText()));
    assertThat(transitions()).containsSubsequence("few pending", "few firing", "few resolved");
    assertThat(berth("alert", "rm", "alerty/busy").exit()).isZero();
  }
}

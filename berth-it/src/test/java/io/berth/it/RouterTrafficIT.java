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
 * The routers' traffic numbers end to end on the {@link EtcdCluster}: requests through a real
 * router's nginx reach the app's {@code requests} series on the manager within 15 s, counted once
 * each (the series' rates times their slots add up to the requests sent, within 10 %, once the
 * windows have covered their slot), with no 5xx
 * and a p99 latency above 0.
 */
@EtcdCluster
class RouterTrafficIT {
  static final String APP = """
      name: traffic
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
      instances: 1
      memory: 32m
      ports: [8080]
      health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}
      routes: [traffic.berth.local]
      """;
  static final int REQUESTS = 60;
  static Cluster cluster;
  static TestRouter router;

  @BeforeAll
  static void startRouter(Cluster c) throws Exception {
    cluster = c;
    Path dir = Files.createTempDirectory("berth-traffic-it");
    router = TestRouter.start(c, dir);
    BerthProcess.Result r = c.berth(Duration.ofSeconds(180), "app", "deploy", "-f", Files.writeString(dir.resolve("traffic.yml"), APP).toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster.manager().isAlive() && cluster.api().get("/v1/apps/traffic") != null) cluster.berth(Duration.ofSeconds(60), "app", "rm", "traffic");
    if (router != null) router.close();
  }

  /** The app's requests over the last minute: each slot's rate times the slot's length, summed. */
  static double requestsSeen(JsonNode answer) {
    double sum = 0;
    for (JsonNode v : answer.path("series").path("requests")) if (!v.isNull()) sum += v.asDouble() * answer.path("interval_seconds").asLong();
    return sum;
  }

  /** How many slots of the series a router's windows reached. */
  static int slotsSeen(JsonNode answer) {
    int n = 0;
    for (JsonNode v : answer.path("series").path("requests")) if (!v.isNull()) n++;
    return n;
  }

  @Test
  void requestsThroughNginxReachTheAppsSeriesWithin15s() {
    // routed first, so that no request meets the 503 of a domain without instances (it would count as a 5xx)
    await().atMost(Duration.ofSeconds(30)).until(() -> router.instances(cluster).size() == 1);
    // and the series covers a whole slot before the requests': the first slot's rate is over the part of it
    // covered since the first window (the route's), so requests in it would sum to more than were sent
    await().atMost(Duration.ofSeconds(30)).until(() -> slotsSeen(cluster.api().get("/v1/metrics/apps/traffic?since=1m")) >= 2);
    for (int i = 0; i < REQUESTS; i++) assertThat(HostLoad.once("127.0.0.1", router.port(), "traffic.berth.local")).startsWith("200 ok");

    // in the series within 15 s; counted once each when the windows have covered the slot they fell in
    // (the newest slot's rate is over the part of it covered so far, so the sum settles a window later)
    await().atMost(Duration.ofSeconds(15)).until(() -> requestsSeen(cluster.api().get("/v1/metrics/apps/traffic?since=1m")) > 0);
    JsonNode seen = await().atMost(Duration.ofSeconds(30)).until(() -> cluster.api().get("/v1/metrics/apps/traffic?since=1m"),
        j -> requestsSeen(j) >= REQUESTS * 0.9 && requestsSeen(j) <= REQUESTS * 1.1);
    for (JsonNode v : seen.path("series").path("errors_5xx")) if (!v.isNull()) assertThat(v.asDouble()).isZero();
    assertThat(seen.path("series").path("latency_p99")).anySatisfy(v -> assertThat(v.asDouble()).isGreaterThan(0));
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.metrics.PrometheusCheck;
import io.berth.engine.LocalEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Containers' metrics end to end on a real engine (its own dockerd, node 9): {@code berth dev}
 * sampling every 2 s, an app whose container burns CPU, its series in the API, and both
 * {@code /metrics} (the manager's, an administrator's; the agent's, open) in valid text format.
 */
@BerthCluster(nodes = 1, firstNode = 9, manager = false)
class MetricsIT {
  static LocalEngine engine;
  static BerthProcess dev;
  static Path data;
  static int api;
  static int agentMetrics;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static final String BURNER = """
      name: burner
      image: berth/busybox:1
      command: [/bin/sh, -c, "while :; do :; done"]
      instances: 1
      memory: 32m
      """;

  @BeforeAll
  static void startDev(Cluster c) throws Exception {
    engine = c.engines().get(0);
    data = Files.createTempDirectory("berth-metrics-it");
    api = Ports.free();
    agentMetrics = Ports.free();
    dev = BerthProcess.start("dev", data, "dev", "--data", data.toString(), "--engine", engine.socket(), "--api-addr", "127.0.0.1:" + api,
        "--cluster-addr", "127.0.0.1:" + Ports.free(), "--agent-addr", engine.address() + ":" + Ports.free(),
        "--docker-addr", "127.0.0.1:" + Ports.free(), "--no-router", "--no-registry", "--name", "metricsnode",
        "--metrics-interval", "2s", "--metrics-addr", "127.0.0.1:" + agentMetrics);
    dev.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    if (dev != null) dev.close();
  }

  static HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String admin() throws Exception {
    return Files.readString(data.resolve("admin.token")).trim();
  }

  static double lastNonNull(JsonNode values) {
    for (int i = values.size() - 1; i >= 0; i--) if (!values.get(i).isNull()) return values.get(i).asDouble();
    return Double.NaN;
  }

  @Test
  void aBusyContainersCpuAndMemoryReachTheAppsSeriesAndBothScrapesParse() throws Exception {
    String base = "http://127.0.0.1:" + api;
    HttpResponse<String> deployed = call("POST", base + "/v1/apps", admin(), BURNER);
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    long t0 = System.nanoTime();
    JsonNode[] seen = new JsonNode[1];
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
      HttpResponse<String> r = call("GET", base + "/v1/metrics/apps/burner?since=1m", admin(), null);
      if (r.statusCode() != 200) return false;
      seen[0] = Json.MAPPER.readTree(r.body());
      JsonNode s = seen[0].path("series");
      return lastNonNull(s.path("cpu_percent")) > 0 && lastNonNull(s.path("memory_bytes")) > 0;
    });
    System.out.printf("berth-it: metrics of a new app's container in the API %.1f s after the deploy%n", (System.nanoTime() - t0) / 1e9);
    JsonNode j = seen[0];
    assertThat(j.path("interval_seconds").asDouble()).isEqualTo(2.0);
    assertThat(j.path("series").path("t")).hasSize(30);
    assertThat(lastNonNull(j.path("series").path("cpu_percent"))).as("a busy loop: most of a core").isGreaterThan(20);
    assertThat(lastNonNull(j.path("series").path("memory_limit_bytes"))).isEqualTo(32.0 * (1 << 20));
    JsonNode instance = j.path("instances").get(0);
    assertThat(instance.path("app").asText()).isEqualTo("burner");
    assertThat(instance.path("version").asInt()).isEqualTo(1);
    assertThat(instance.path("node").asText()).isEqualTo("metricsnode");
    String container = instance.path("container").asText();

    JsonNode node = Json.MAPPER.readTree(call("GET", base + "/v1/metrics/nodes/metricsnode?since=1m", admin(), null).body());
    assertThat(node.path("capacity").path("cpus").asInt()).isPositive();
    assertThat(node.path("containers").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(call("GET", base + "/v1/metrics/containers/" + container, admin(), null).statusCode()).isEqualTo(200);
    assertThat(call("GET", base + "/v1/metrics/apps/burner?since=soon", admin(), null).statusCode()).isEqualTo(400);

    HttpResponse<String> anonymous = call("GET", base + "/metrics", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> manager = call("GET", base + "/metrics", admin(), null);
    assertThat(manager.statusCode()).isEqualTo(200);
    int managerSamples = PrometheusCheck.check(manager.body());
    assertThat(manager.body()).contains("berth_container_cpu_percent{app=\"burner\",version=\"1\"", "node=\"metricsnode\",container=\"" + container,
        "berth_nodes{state=\"ready\"} 1", "berth_instances{domain=\"apps\",state=\"RUNNING\"} 1",
        "berth_scheduler_placements_total{source=\"lrp\",outcome=\"placed\"} 1",
        "berth_api_requests_total{method=\"POST\",route=\"/v1/apps\",status=\"201\"} 1",
        "berth_api_requests_total{method=\"POST\",route=\"/v1/cluster/metrics\",status=\"204\"}");

    HttpResponse<String> agent = call("GET", "http://127.0.0.1:" + agentMetrics + "/metrics", null, null);
    assertThat(agent.statusCode()).isEqualTo(200);
    int agentSamples = PrometheusCheck.check(agent.body());
    assertThat(agent.body()).contains("berth_container_cpu_percent{app=\"burner\",version=\"1\"", "berth_agent_metrics_batches_total{outcome=\"sent\"}");
    promtool(manager.body());
    promtool(agent.body());
    System.out.println("berth-it: /metrics samples: manager " + managerSamples + ", agent " + agentSamples);
  }

  @Test
  void theEnginesOneShotStatsReadARunningContainerAndNothingOfAStoppedOne() {
    io.berth.engine.ContainerEngine e = engine.engine();
    String running = e.create(io.berth.engine.ContainerSpec.of(io.berth.engine.BusyboxImage.REFERENCE, "sleep", "60"));
    String stopped = e.create(io.berth.engine.ContainerSpec.of(io.berth.engine.BusyboxImage.REFERENCE, "true"));
    try {
      e.start(running);
      io.berth.engine.ContainerStats s = e.stats(running).orElseThrow();
      assertThat(s.pids()).isGreaterThanOrEqualTo(1);
      assertThat(s.memoryBytes()).isPositive();
      assertThat(s.memoryLimitBytes()).isPositive();
      assertThat(s.systemCpuNanos()).isPositive();
      assertThat(Math.abs(s.readNanos() / 1_000_000 - System.currentTimeMillis())).isLessThan(60_000);
      assertThat(e.stats(stopped)).isEmpty();
      assertThat(e.stats("no-such-container")).isEmpty();
    } finally {
      e.remove(running, true);
      e.remove(stopped, true);
    }
  }

  /** Also checks with Prometheus' own promtool when the machine has it (Debian's prometheus package: 96 MB, not installed by CI). */
  static void promtool(String text) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) return;
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    // promtool's lint asks counters to end in _total and units in names: only a parse error fails the test.
    assertThat(out).as("promtool check metrics").doesNotContain("error while linting");
    p.waitFor();
  }
}

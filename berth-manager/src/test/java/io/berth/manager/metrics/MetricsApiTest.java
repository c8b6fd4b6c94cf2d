package io.berth.manager.metrics;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.error.BerthException;
import io.berth.core.metrics.PrometheusCheck;
import io.berth.manager.http.ApiTestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The metrics API and /metrics over HTTP on an in-process manager: shapes, permissions, bad input. */
class MetricsApiTest {
  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 1
      ports: [8080]
      """;
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  HttpResponse<String> call(String token, String path) throws Exception {
    return m.call(token, "GET", path, null);
  }

  void sample(String node, long at, MetricsBatch.Container... cs) {
    m.manager().metrics().accept(node, new MetricsBatch(at, 10, 2, 4L << 30,
        new MetricsBatch.Values(12.5, 1e8, null, 1.0, 2.0, 0.0, 0.0, 4.0), List.of(cs)));
  }

  static MetricsBatch.Container container(String id, Map<String, String> labels) {
    return new MetricsBatch.Container(id, "c-" + id, labels, new MetricsBatch.Values(12.5, 1e8, 2e8, 1.0, 2.0, 0.0, 0.0, 4.0));
  }

  static final Map<String, String> HELLO_V1 = Map.of("io.berth.domain", "apps", "io.berth.process-guid", "hello-v1", "io.berth.index", "0",
      "io.berth.instance-guid", "g1");

  static double last(JsonNode values) {
    for (int i = values.size() - 1; i >= 0; i--) if (!values.get(i).isNull()) return values.get(i).asDouble();
    return Double.NaN;
  }

  @Test
  void anAppsSeriesHasTheContractsShapeAndIsReadableByItsMembersOnly() throws Exception {
    String alice = m.signedIn("alice", "pw-alice-long");
    String bob = m.signedIn("bob", "pw-bob-long");
    assertThat(m.call(alice, "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    long now = System.currentTimeMillis();
    sample("n1", now - 10_000, container("c1", HELLO_V1));
    sample("n1", now, container("c1", HELLO_V1));

    HttpResponse<String> r = call(alice, "/v1/metrics/apps/hello?since=5m");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("interval_seconds").asDouble()).isEqualTo(10.0);
    assertThat(j.path("since").asText()).endsWith("Z");
    JsonNode s = j.path("series");
    assertThat(s.path("t")).hasSize(30);
    for (String k : List.of("cpu_percent", "memory_bytes", "memory_limit_bytes", "net_rx_bytes_per_second", "net_tx_bytes_per_second",
        "block_read_bytes_per_second", "block_write_bytes_per_second", "pids")) {
      assertThat(s.path(k)).as(k).hasSize(30);
    }
    assertThat(last(s.path("cpu_percent"))).isEqualTo(12.5); // the newest slot, or the one before once the clock moved on
    assertThat(s.path("cpu_percent").get(0).isNull()).isTrue();
    assertThat(j.path("instances").get(0).toString())
        .isEqualTo("{\"container\":\"c1\",\"name\":\"c-c1\",\"app\":\"hello\",\"version\":1,\"index\":0,\"instance\":\"g1\",\"node\":\"n1\"}");
    assertThat(j.has("capacity")).isFalse();

    assertThat(call(bob, "/v1/metrics/apps/hello").statusCode()).isEqualTo(403);
    assertThat(call(null, "/v1/metrics/apps/hello").statusCode()).isEqualTo(401);
    assertThat(call(bob, "/v1/metrics/apps/nope").statusCode()).as("names are not probed").isEqualTo(403);
    HttpResponse<String> missing = call(m.adminToken(), "/v1/metrics/apps/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("message").asText()).isEqualTo("no app named nope");
    assertThat(call(m.adminToken(), "/v1/metrics/apps/hello").statusCode()).isEqualTo(200);
    assertThat(json(call(m.adminToken(), "/v1/metrics/apps/hello")).path("series").path("t")).hasSize(360);
  }

  @Test
  void aBadSinceIsAClear400() throws Exception {
    for (String since : List.of("soon", "30s", "2h", "-1m", "", "99999999999999999h", "9223372036854775807h", "1%20h")) {
      HttpResponse<String> r = call(m.adminToken(), "/v1/metrics/nodes/n1?since=" + since);
      assertThat(r.statusCode()).as(since).isEqualTo(400);
      assertThat(json(r).path("message").asText()).as(since).startsWith("since");
    }
    assertThat(json(call(m.adminToken(), "/v1/metrics/nodes/n1?since=2h")).path("message").asText())
        .isEqualTo("since must be from 1m to the metrics retention (1h), got 2h");
  }

  @Test
  void nodesAreReadableByAnySignedInUserWithTheirCapacity() throws Exception {
    String bob = m.signedIn("bob", "pw-bob-long");
    long now = System.currentTimeMillis();
    sample("n1", now, container("c1", HELLO_V1), container("c2", Map.of()));
    HttpResponse<String> r = call(bob, "/v1/metrics/nodes/n1?since=1m");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("capacity").toString()).isEqualTo("{\"cpus\":2,\"memory_bytes\":4294967296}");
    assertThat(j.path("containers").asInt()).isEqualTo(2);
    assertThat(last(j.path("series").path("cpu_percent"))).isEqualTo(12.5);
    assertThat(call(bob, "/v1/metrics/nodes/nowhere").statusCode()).isEqualTo(404);
    assertThat(call(null, "/v1/metrics/nodes/n1").statusCode()).isEqualTo(401);
  }

  @Test
  void aContainerIsVisibleToAdminsItsAppsReadersAndItsOwnerOnly() throws Exception {
    String alice = m.signedIn("alice", "pw-alice-long");
    String bob = m.signedIn("bob", "pw-bob-long");
    String carol = m.signedIn("carol", "pw-carol-long");
    assertThat(m.call(alice, "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    long now = System.currentTimeMillis();
    sample("n1", now, container("app1", HELLO_V1), container("carols", Map.of("io.berth.owner", "carol")), container("raw", Map.of()));
    assertThat(call(alice, "/v1/metrics/containers/app1").statusCode()).isEqualTo(200);
    assertThat(call(carol, "/v1/metrics/containers/carols").statusCode()).isEqualTo(200);
    assertThat(call(m.adminToken(), "/v1/metrics/containers/raw").statusCode()).isEqualTo(200);
    for (String[] denied : new String[][] {{bob, "app1"}, {alice, "carols"}, {carol, "raw"}, {bob, "nothing"}}) {
      HttpResponse<String> r = call(denied[0], "/v1/metrics/containers/" + denied[1]);
      assertThat(r.statusCode()).as(denied[1]).isEqualTo(404);
      assertThat(json(r).path("message").asText()).isEqualTo("no such container: " + denied[1]);
    }
    assertThat(last(json(call(carol, "/v1/metrics/containers/carols")).path("series").path("memory_limit_bytes")))
        .isEqualTo(2e8);
  }

  @Test
  void prometheusMetricsNeedAnAdministratorAndParse() throws Exception {
    String bob = m.signedIn("bob", "pw-bob-long");
    long now = System.currentTimeMillis();
    sample("n1", now, container("app1", HELLO_V1));
    call(m.adminToken(), "/v1/nodes"); // at least one call on the books
    assertThat(call(bob, "/metrics").statusCode()).isEqualTo(403);
    assertThat(call(null, "/metrics").statusCode()).isEqualTo(401);
    HttpResponse<String> r = call(m.adminToken(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    String text = r.body();
    assertThat(text).contains("berth_api_requests_total{method=\"GET\",route=\"/v1/nodes\",status=\"200\"}",
        "berth_api_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/nodes\",le=\"+Inf\"}",
        "berth_store_operations_total{op=\"put\",outcome=\"ok\"}", "berth_nodes{state=\"ready\"} 0",
        "berth_instances{domain=\"apps\",state=\"RUNNING\"} 0",
        "berth_container_cpu_percent{app=\"hello\",version=\"1\",instance=\"g1\",node=\"n1\",container=\"app1\",name=\"c-app1\"} 12.5",
        "berth_node_memory_bytes{node=\"n1\"} 100000000", "berth_convergence_passes_total{outcome=\"ok\"}");
    assertThat(PrometheusCheck.check(text)).isGreaterThan(100);

    HttpResponse<byte[]> gz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + m.manager().apiPort() + "/metrics"))
        .header("Authorization", "Bearer " + m.adminToken()).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(PrometheusCheck.check(unzipped)).isGreaterThan(100);
  }

  @Test
  void aBatchTheClusterEndpointCannotUseIsA400NotA500() {
    Assertions.assertThatThrownBy(() -> m.manager().metrics().accept("n1",
        new MetricsBatch(0, 0, 1, 1, null, List.of()))).isInstanceOf(BerthException.Invalid.class)
        .hasMessage("interval_seconds must be at least 1, got 0");
    for (String body : List.of("{\"containers\":[null]}", "{\"at\":\"soon\"}", "{\"containers\":[{\"id\":\"x\",\"labels\":{\"a\":null}}]}",
        "{\"extra\":1}")) {
      // Routes answers an IllegalArgumentException with 400 InvalidRequest
      Assertions.assertThatThrownBy(() -> Json.read(body.getBytes(), MetricsBatch.class)).as(body)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

package io.berth.manager.metrics;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.cluster.wire.TrafficReport;
import io.berth.core.Keys;
import io.berth.manager.http.ApiTestServer;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routers' traffic reports over HTTP on an in-process manager: intake, the app's series, /metrics, TrafficNumbers. */
class TrafficApiTest {
  static final String HELLO = MetricsApiTest.HELLO + "routes: [hello.test]\n";
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  HttpResponse<String> post(String token, String id, TrafficReport r) throws Exception {
    return m.call(token, "POST", "/v1/routers/" + id + "/traffic", new String(Json.bytes(r), StandardCharsets.UTF_8));
  }

  @Test
  void aRoutersWindowReachesTheAppsSeriesItsLatestNumbersAndTheScrape() throws Exception {
    String alice = m.signedIn("alice", "pw-alice-long");
    assertThat(m.call(alice, "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> m.store().get(Keys.route("default", "hello.test")).isPresent());
    long now = System.currentTimeMillis();
    TrafficReport r = new TrafficReport("r1", "default", now, 5_000, List.of(
        RouterTrafficTest.domain("hello.test", 50, 5, 50, 2), RouterTrafficTest.domain("unknown.test", 9, 0, 9, 2)));

    HttpResponse<String> in = post(m.adminToken(), "r1", r);
    assertThat(in.statusCode()).as(in.body()).isEqualTo(204);

    TrafficNumbers.Traffic t = m.manager().metrics().traffic().latest("hello", System.currentTimeMillis()).orElseThrow();
    assertThat(t.requestsPerSecond()).isEqualTo(10.0);
    assertThat(t.errors5xxPercent()).isEqualTo(10.0);

    JsonNode s = json(m.call(alice, "GET", "/v1/metrics/apps/hello?since=5m", null)).path("series");
    assertThat(s.path("requests")).hasSize(s.path("t").size());
    assertThat(MetricsApiTest.last(s.path("requests"))).isEqualTo(10.0);
    assertThat(MetricsApiTest.last(s.path("errors_5xx"))).isEqualTo(10.0);
    assertThat(MetricsApiTest.last(s.path("latency_p99"))).isBetween(1.0, 2.0);

    String text = m.call(m.adminToken(), "GET", "/metrics", null).body();
    assertThat(text).contains("# TYPE berth_app_requests_per_second gauge\n", "berth_app_requests_per_second{app=\"hello\"} 10\n",
        "berth_app_errors_5xx_percent{app=\"hello\"} 10\n", "berth_app_latency_p99_seconds{app=\"hello\"} 0.00")
        .doesNotContain("unknown.test");
  }

  @Test
  void onlyAdministratorsReportAndABadReportIsA400InWords() throws Exception {
    String bob = m.signedIn("bob", "pw-bob-long");
    TrafficReport r = new TrafficReport("r1", "default", System.currentTimeMillis(), 5_000, List.of());
    assertThat(post(bob, "r1", r).statusCode()).isEqualTo(403);
    HttpResponse<String> wrong = post(m.adminToken(), "r2", r);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json(wrong).path("message").asText()).isEqualTo("id r1 differs from the path's r2");
    HttpResponse<String> junk = m.call(m.adminToken(), "POST", "/v1/routers/r1/traffic", "{\"id\": \"r1\", \"domains\": 3}");
    assertThat(junk.statusCode()).isEqualTo(400);
    assertThat(m.manager().metrics().traffic().latest("hello", System.currentTimeMillis())).isEmpty();
  }
}

package io.berth.manager.scale;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/apps/APP/autoscale}, the refusal of a manual scale and the manifest's {@code autoscale:} over HTTP. */
class AutoscaleApiTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  /** No node runs it: its rollout fails at the 1 s deadline, and then it may be scaled. */
  static final String WEB = """
      name: web
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 2
      deploy: {deadline: 1s}
      """;

  private void deployAndSettle(String manifest) throws Exception {
    assertThat(m.asAdmin("POST", "/v1/apps", manifest).statusCode()).isEqualTo(201);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        !json(m.asAdmin("GET", "/v1/apps/web", null)).path("rollout").path("phase").asText().equals("progressing"));
  }

  private String refused(String body) throws Exception {
    HttpResponse<String> r = m.asAdmin("PUT", "/v1/apps/web/autoscale", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(m.asAdmin("GET", "/v1/apps/web/autoscale", null).statusCode()).isEqualTo(404); // nothing changed
    return json(r).path("message").asText();
  }

  @Test
  void badInputIsRefusedAndChangesNothing() throws Exception {
    deployAndSettle(WEB);
    assertThat(refused("{\"min\": 5, \"max\": 2, \"cpu\": \"60%\"}")).isEqualTo("min: min 5 is above max 2");
    assertThat(refused("{\"min\": 1, \"max\": 5000, \"cpu\": \"60%\"}")).isEqualTo("max: must be at most the instance limit 1000, got 5000");
    assertThat(refused("{\"min\": 0, \"max\": 3, \"cpu\": \"60%\"}")).isEqualTo("min: must be at least 1, got 0");
    assertThat(refused("{\"min\": 1, \"max\": 3, \"cpu\": \"60 cores\"}")).startsWith("cpu: must be a percentage like 60%");
    assertThat(refused("{\"min\": 1, \"max\": 3, \"disk\": \"60%\"}")).contains("disk");
    assertThat(refused("{\"min\": 1, \"max\": 3}")).startsWith("autoscale: name at least one target");
    assertThat(m.asAdmin("PUT", "/v1/apps/nope/autoscale", "{\"min\": 1, \"max\": 3, \"cpu\": \"60%\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void aManualScaleOfAnAutoscaledAppIsRefusedUnlessForcedWhichTurnsItOff() throws Exception {
    deployAndSettle(WEB);
    HttpResponse<String> on = m.asAdmin("PUT", "/v1/apps/web/autoscale", "{\"min\": 2, \"max\": 4, \"cpu\": \"60%\", \"requests_per_instance\": 50}");
    assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
    assertThat(json(m.asAdmin("GET", "/v1/apps/web/autoscale", null)).path("autoscale").path("max").asInt()).isEqualTo(4);
    HttpResponse<String> scale = m.asAdmin("POST", "/v1/apps/web/scale", "{\"instances\": 7}");
    assertThat(scale.statusCode()).isEqualTo(409);
    assertThat(json(scale).path("name").asText()).isEqualTo("Autoscaled");
    assertThat(json(scale).path("message").asText()).contains("web is autoscaled between 2 and 4 instances", "--force");
    HttpResponse<String> forced = m.asAdmin("POST", "/v1/apps/web/scale", "{\"instances\": 7, \"force\": true}");
    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
    assertThat(m.asAdmin("GET", "/v1/apps/web/autoscale", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aDeployNamingAutoscaleSetsItAndDeleteTurnsItOff() throws Exception {
    deployAndSettle(WEB + "autoscale: {min: 2, max: 6, memory: 70%}\n");
    assertThat(json(m.asAdmin("GET", "/v1/apps/web/autoscale", null)).path("autoscale").path("memory").asText()).isEqualTo("70%");
    assertThat(json(m.asAdmin("GET", "/v1/apps/web/autoscale", null)).path("set_by").asText()).isEqualTo("admin");
    assertThat(m.asAdmin("DELETE", "/v1/apps/web/autoscale", null).statusCode()).isLessThan(300);
    assertThat(m.asAdmin("GET", "/v1/apps/web/autoscale", null).statusCode()).isEqualTo(404);
    assertThat(m.asAdmin("POST", "/v1/apps/web/scale", "{\"instances\": 3}").statusCode()).isEqualTo(200);
  }

  @Test
  void theForecastSaysNotEnoughDataOnAFreshCluster() throws Exception {
    HttpResponse<String> r = m.asAdmin("GET", "/v1/nodes/forecast", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("window_seconds").asLong()).isEqualTo(3600);
    assertThat(json(r).path("cluster").path("memory").path("reserved").path("says").asText()).startsWith("not enough data");
  }
}

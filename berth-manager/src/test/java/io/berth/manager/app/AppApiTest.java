package io.berth.manager.app;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The apps API and the routers' feed over HTTP on an in-process manager: shapes, status codes and errors. */
class AppApiTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 2
      ports: [8080]
      routes: [hello.berth.local]
      """;

  @Test
  void aDeployAnswersTheAppsStatusAndItsVersionsAndEventsAreRead() throws Exception {
    HttpResponse<String> dry = m.asAdmin("POST", "/v1/apps?dry_run=true", HELLO);
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(json(dry).path("version").path("manifest").path("memory").asText()).isEqualTo("128m");
    assertThat(json(m.asAdmin("GET", "/v1/apps", null))).isEmpty(); // a dry run changes nothing
    HttpResponse<String> r = m.asAdmin("POST", "/v1/apps", HELLO);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode app = json(r);
    assertThat(app.path("name").asText()).isEqualTo("hello");
    assertThat(app.path("routes").get(0).asText()).isEqualTo("hello.berth.local");
    assertThat(app.path("rollout").path("phase").asText()).isEqualTo("progressing");
    assertThat(app.path("rollout").path("strategy").asText()).isEqualTo("rolling");
    assertThat(json(m.asAdmin("GET", "/v1/apps/hello/versions/v1", null)).path("process_guid").asText()).isEqualTo("hello-v1");
    assertThat(json(m.asAdmin("GET", "/v1/apps/hello/events", null)).get(0).path("outcome").asText()).isEqualTo("started");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> // the controller makes the LRP
        assertThat(json(m.asAdmin("GET", "/v1/desired_lrps/hello-v1", null)).path("instances").asInt()).isEqualTo(2));
  }

  @Test
  void mistakesGetAStatusAndANamedMessage() throws Exception {
    HttpResponse<String> bad = m.asAdmin("POST", "/v1/apps", HELLO.replace("instances: 2", "instances: two"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("name").asText()).isEqualTo("InvalidManifest");
    assertThat(json(bad).path("message").asText()).isEqualTo("instances: a whole number expected, got 'two' (line 4)");
    HttpResponse<String> missing = m.asAdmin("GET", "/v1/apps/nope", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("name").asText()).isEqualTo("AppNotFound");
    m.asAdmin("POST", "/v1/apps", HELLO);
    HttpResponse<String> noCanary = m.asAdmin("POST", "/v1/apps/hello/promote", null);
    assertThat(noCanary.statusCode()).isEqualTo(409);
    assertThat(json(noCanary).path("name").asText()).isEqualTo("NoCanary");
    assertThat(m.asAdmin("POST", "/v1/apps/hello/scale", "{\"instances\": \"many\"}").statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("POST", "/v1/apps/hello/scale", "{}").statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("GET", "/v1/apps/hello/versions/vx", null).statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("GET", "/v1/apps/hello/versions/9", null).statusCode()).isEqualTo(404);
    HttpResponse<String> logs = m.asAdmin("GET", "/v1/apps/hello/logs", null);
    assertThat(logs.statusCode()).isEqualTo(503); // this manager runs no Docker endpoint
    assertThat(m.asAdmin("POST", "/v1/routers/r1", "{\"group\": \"default\"}").statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("GET", "/v1/routes?group=default&after=x", null).statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("GET", "/v1/routes?group=default&wait=soon", null).statusCode()).isEqualTo(400);
  }

  @Test
  void routersGetTheirTableAtOnceThenWaitForAChangeAndReportTheirStatus() throws Exception {
    JsonNode first = json(m.asAdmin("GET", "/v1/routes?group=default&after=0", null));
    assertThat(first.path("domains")).isEmpty();
    assertThat(first.has("managers")).isFalse(); // an older router would reject it
    JsonNode asked = json(m.asAdmin("GET", "/v1/routes?group=default&after=0&managers=true", null));
    assertThat(asked.path("managers").get(0).asText()).matches("http://127\\.0\\.0\\.1:\\d+"); // where a router may move to
    long rev = first.path("revision").asLong();
    long t0 = System.nanoTime();
    JsonNode same = json(m.asAdmin("GET", "/v1/routes?group=default&after=" + rev + "&wait=300ms", null));
    assertThat(System.nanoTime() - t0).isGreaterThan(250_000_000L); // nothing changed: it waited
    assertThat(same.path("domains")).isEmpty();
    HttpResponse<String> posted = m.asAdmin("POST", "/v1/routers/r1", """
        {"id": "r1", "group": "default", "listen": "127.0.0.1:80", "applied_revision": %d, "config_ok": true,
         "error": "", "instances": [], "updated_at": "2026-12-01T00:00:00Z"}""".formatted(rev));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
    assertThat(json(m.asAdmin("GET", "/v1/routers", null)).get(0).path("id").asText()).isEqualTo("r1");
  }
}

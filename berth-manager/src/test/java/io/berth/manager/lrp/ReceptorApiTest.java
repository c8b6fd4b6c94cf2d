package io.berth.manager.lrp;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.manager.http.ApiTestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Receptor API over HTTP on an in-process manager: shapes, status codes, errors and events. */
class ReceptorApiTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();
  final HttpClient http = HttpClient.newHttpClient();

  static final String LRP = """
      {"process_guid": "web", "domain": "apps", "rootfs": "docker:///berth/busybox#1", "instances": 2, "memory_mb": 32,
       "ports": [8080], "routes": {"cf-router": [{"hostnames": ["web.example.com"], "port": 8080}]},
       "action": {"run": {"path": "/bin/httpd", "args": ["-f", "-p", "8080"], "user": "root"}},
       "monitor": {"run": {"path": "/bin/true", "user": "root"}}, "annotation": "v1"}""";

  @Test
  void desiredLrpsAreCreatedReadChangedInPlaceAndRemoved() throws Exception {
    HttpResponse<String> created = m.asAdmin("POST", "/v1/desired_lrps", LRP);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode d = json(created);
    assertThat(d.path("modification_tag").path("index").asLong()).isZero();
    assertThat(d.path("routes").path("cf-router").get(0).path("port").asInt()).isEqualTo(8080);
    assertThat(d.path("action").path("run").path("path").asText()).isEqualTo("/bin/httpd");

    HttpResponse<String> again = m.asAdmin("POST", "/v1/desired_lrps", LRP);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("name").asText()).isEqualTo("DesiredLRPAlreadyExists");

    assertThat(json(m.asAdmin("GET", "/v1/desired_lrps?domain=apps", null))).hasSize(1);
    assertThat(json(m.asAdmin("GET", "/v1/desired_lrps?domain=other", null))).isEmpty();
    HttpResponse<String> changed = m.asAdmin("PUT", "/v1/desired_lrps/web", "{\"instances\": 3, \"annotation\": \"v2\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonNode after = json(m.asAdmin("GET", "/v1/desired_lrps/web", null));
    assertThat(after.path("instances").asInt()).isEqualTo(3);
    assertThat(after.path("annotation").asText()).isEqualTo("v2");
    assertThat(after.path("modification_tag").path("index").asLong()).isEqualTo(1);
    HttpResponse<String> notInPlace = m.asAdmin("PUT", "/v1/desired_lrps/web", "{\"rootfs\": \"docker:///other#2\"}");
    assertThat(notInPlace.statusCode()).isEqualTo(400);
    assertThat(json(notInPlace).path("message").asText()).contains("rootfs");

    // No node has joined: the instances exist, unplaced, and say why.
    await().atMost(Duration.ofSeconds(5)).until(() -> json(m.asAdmin("GET", "/v1/actual_lrps/web", null)).size() == 3);
    JsonNode zero = json(m.asAdmin("GET", "/v1/actual_lrps/web/index/0", null));
    assertThat(zero.path("state").asText()).isEqualTo("UNCLAIMED");
    await().atMost(Duration.ofSeconds(5)).until(() -> !json(m.asAdmin("GET", "/v1/actual_lrps/web/index/0", null)).path("placement_error").asText().isEmpty());
    assertThat(json(m.asAdmin("GET", "/v1/actual_lrps?domain=apps", null))).hasSize(3);
    HttpResponse<String> noIndex = m.asAdmin("GET", "/v1/actual_lrps/web/index/7", null);
    assertThat(noIndex.statusCode()).isEqualTo(404);
    assertThat(json(noIndex).path("name").asText()).isEqualTo("ActualLRPIndexNotFound");

    assertThat(m.asAdmin("DELETE", "/v1/desired_lrps/web", null).statusCode()).isEqualTo(204);
    HttpResponse<String> gone = m.asAdmin("GET", "/v1/desired_lrps/web", null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(json(gone).path("name").asText()).isEqualTo("DesiredLRPNotFound");
    assertThat(json(m.asAdmin("GET", "/v1/actual_lrps/web", null))).isEmpty();
  }

  @Test
  void badRequestsAreRefusedWithTheirReason() throws Exception {
    HttpResponse<String> malformed = m.asAdmin("POST", "/v1/desired_lrps", "{\"process_guid\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).path("name").asText()).isEqualTo("InvalidRequest");
    HttpResponse<String> badGuid = m.asAdmin("POST", "/v1/desired_lrps", LRP.replace("\"web\"", "\"we b\""));
    assertThat(badGuid.statusCode()).isEqualTo(400);
    assertThat(json(badGuid).path("message").asText()).contains("process_guid");
    HttpResponse<String> badRootfs = m.asAdmin("POST", "/v1/desired_lrps", LRP.replace("docker:///berth/busybox#1", "preloaded:cflinuxfs2"));
    assertThat(badRootfs.statusCode()).isEqualTo(400);
    assertThat(json(badRootfs).path("message").asText()).contains("rootfs");
    assertThat(m.asAdmin("GET", "/v1/tasks/nope", null).statusCode()).isEqualTo(404);
    assertThat(json(m.asAdmin("GET", "/v1/tasks/nope", null)).path("name").asText()).isEqualTo("TaskNotFound");
    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.manager().apiPort() + "/v1/desired_lrps"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(m.asAdmin("PUT", "/v1/domains/apps", null, "Cache-Control", "max-age=abc").statusCode()).isEqualTo(400);
    assertThat(m.asAdmin("POST", "/v1/nodes/nosuch/drain", null).statusCode()).isEqualTo(404);
    assertThat(m.asAdmin("GET", "/v1/nodes/nosuch/drain", null).statusCode()).isEqualTo(404);
    // A name no node may have is looked up, not parsed: still a 404, never a 400 or a 500.
    assertThat(m.asAdmin("POST", "/v1/nodes/-nosuch/drain", null).statusCode()).isEqualTo(404);
    assertThat(m.asAdmin("GET", "/v1/nodes/-nosuch", null).statusCode()).isEqualTo(404);
  }

  @Test
  void domainsAreFreshForTheirMaxAge() throws Exception {
    assertThat(m.asAdmin("PUT", "/v1/domains/apps", null, "Cache-Control", "max-age=1").statusCode()).isEqualTo(204);
    assertThat(m.asAdmin("PUT", "/v1/domains/forever", null).statusCode()).isEqualTo(204);
    assertThat(json(m.asAdmin("GET", "/v1/domains", null))).extracting(JsonNode::asText).containsExactly("apps", "forever");
    await().atMost(Duration.ofSeconds(5)).until(() -> json(m.asAdmin("GET", "/v1/domains", null)).size() == 1);
    assertThat(json(m.asAdmin("GET", "/v1/domains", null)).get(0).asText()).isEqualTo("forever");
  }

  @Test
  void theEventStreamTellsOfEveryChange() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.manager().apiPort() + "/v1/events"))
        .header("Authorization", "Bearer " + m.adminToken()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (Exception e) {
        // closed
      }
    });
    Thread.sleep(200);
    m.asAdmin("POST", "/v1/desired_lrps", LRP);
    m.asAdmin("PUT", "/v1/desired_lrps/web", "{\"instances\": 1}");
    m.asAdmin("DELETE", "/v1/desired_lrps/web", null);
    await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("event: desired_lrp_removed"));
    assertThat(lines).contains("event: desired_lrp_created", "event: desired_lrp_changed", "event: actual_lrp_created");
    String changed = lines.get(lines.indexOf("event: desired_lrp_changed") + 1);
    assertThat(changed).startsWith("data: {\"desired_lrp_before\":").contains("\"desired_lrp_after\":");
    reader.interrupt();
    stream.body().close();
  }

  @Test
  void tasksAreCreatedOnceAndCancelled() throws Exception {
    String task = """
        {"task_guid": "job1", "domain": "jobs", "rootfs": "docker:///berth/busybox#1",
         "action": {"run": {"path": "/bin/echo", "args": ["hi"], "user": "root"}}, "result_file": "/tmp/out"}""";
    HttpResponse<String> created = m.asAdmin("POST", "/v1/tasks", task);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> twice = m.asAdmin("POST", "/v1/tasks", task);
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(json(twice).path("name").asText()).isEqualTo("TaskGuidAlreadyExists");
    // No node: Diego's auctioneer fails what no cell can take.
    await().atMost(Duration.ofSeconds(5)).until(() -> json(m.asAdmin("GET", "/v1/tasks/job1", null)).path("state").asText().equals("COMPLETED"));
    JsonNode t = json(m.asAdmin("GET", "/v1/tasks/job1", null));
    assertThat(t.path("failed").asBoolean()).isTrue();
    assertThat(t.path("failure_reason").asText()).startsWith("cannot be placed");
    assertThat(m.asAdmin("POST", "/v1/tasks/job1/cancel", null).statusCode()).isEqualTo(409);
    assertThat(m.asAdmin("DELETE", "/v1/tasks/job1", null).statusCode()).isEqualTo(204);
    assertThat(json(m.asAdmin("GET", "/v1/tasks", null))).isEmpty();
  }
}

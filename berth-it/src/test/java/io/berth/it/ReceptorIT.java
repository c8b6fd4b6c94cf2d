package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Receptor API as Diego's clients use it, on the {@link EtcdCluster} (its manager runs with
 * {@code --receptor-user diego --receptor-password-file … --cors}): the Receptor's Basic user and
 * its cookie, CORS for a browser, cells with real capacity, and an UploadAction run on the cell.
 */
@EtcdCluster
class ReceptorIT extends OnLrps {
  private static String basic;

  @BeforeAll
  static void makeTheReceptorUser() throws Exception {
    HttpResponse<String> made = send(request("/v1/users").header("Authorization", "Bearer " + cluster.adminToken())
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"diego\", \"password\": \"its-own-password\", \"admin\": true}")));
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201, 409);
    basic = "Basic " + Base64.getEncoder().encodeToString(("diego:" + EtcdCluster.RECEPTOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theReceptorsBasicUserAndCookieSignIn() throws Exception {
    assertThat(send(request("/v1/cells").header("Authorization", basic)).statusCode()).isEqualTo(200);
    assertThat(send(request("/v1/cells").header("Cookie", "receptor_authorization=" + basic)).statusCode())
        .as("the cookie carries the Authorization header's value").isEqualTo(200);
    String wrong = "Basic " + Base64.getEncoder().encodeToString("diego:nope".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> refused = send(request("/v1/cells").header("Authorization", wrong));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(Json.MAPPER.readTree(refused.body()).path("name").asText()).isEqualTo("Unauthorized");
    assertThat(send(request("/v1/apps").header("Authorization", basic)).statusCode())
        .as("the Receptor's password opens only the Receptor's routes").isEqualTo(401);
  }

  @Test
  void corsAnswersAPreflightAndEchoesTheOrigin() throws Exception {
    HttpResponse<String> preflight = send(request("/v1/desired_lrps").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "http://console.example").header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type"));
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://console.example");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
    HttpResponse<String> get = send(request("/v1/domains").header("Authorization", basic).header("Origin", "http://console.example"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://console.example");
    assertThat(get.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
  }

  @Test
  void cellsReportTheirMemoryDiskAndSlots() throws Exception {
    HttpResponse<String> r = send(request("/v1/cells").header("Authorization", basic));
    JsonNode cells = Json.MAPPER.readTree(r.body());
    assertThat(cells).hasSize(3);
    for (JsonNode c : cells) {
      JsonNode cap = c.path("capacity");
      assertThat(cap.path("memory_mb").asLong()).as(c.toString()).isPositive();
      assertThat(cap.path("disk_mb").asLong()).as("the node's disk_mb label").isEqualTo(20480);
      assertThat(cap.path("containers").asLong()).as("Diego's default without containerslots").isEqualTo(256);
    }
  }

  @Test
  void anUploadActionRunsOnTheCellAndReachesAUrlOnTheNodesNetwork() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/droplet", ex -> {
      received.complete(ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip());
      ex.sendResponseHeaders(201, -1);
      ex.close();
    });
    server.start();
    try {
      String to = "http://127.0.0.1:" + server.getAddress().getPort() + "/droplet";
      String task = """
          {"task_guid": "up1", "domain": "jobs", "rootfs": "docker:///berth/busybox#1", "memory_mb": 16,
           "action": {"serial": {"actions": [
             {"run": {"path": "/bin/sh", "args": ["-c", "echo built on $(hostname) > /tmp/droplet"], "user": "root"}},
             {"upload": {"artifact": "droplet", "from": "/tmp/droplet", "to": "%s", "user": "root"}}]}}}""".formatted(to);
      BerthProcess.Result r = berth("task", "create", "-f", file("up.json", task).toString(), "--watch");
      assertThat(r.exit()).as(r.err() + r.out()).isZero();
      // 127.0.0.1 inside the container is the container itself: the upload was sent from the node.
      assertThat(received.get(30, TimeUnit.SECONDS)).startsWith("POST built on ");
      await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/tasks/up1").path("state").asText().equals("COMPLETED"));
      assertThat(api.get("/v1/tasks/up1").path("failed").asBoolean()).as(api.get("/v1/tasks/up1").toString()).isFalse();
    } finally {
      server.stop(0);
      berth("task", "rm", "up1");
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Code builds' manager side on the {@link EtcdCluster} (whose nodes take no builds, so runs stay
 * queued): roles on runs and logs through the real API, and the webhook's secret. The builds that
 * really run on build nodes are the end-to-end ITs' (docs/builds.md).
 */
@EtcdCluster
class BuildsIT extends OnLrps {
  static final String BUILD = "bit-app";
  static String owner;
  static String guest;
  static String developer;
  static String reporter;

  @BeforeAll
  static void users() throws Exception {
    owner = user("bit-owner");
    guest = user("bit-guest");
    developer = user("bit-dev");
    reporter = user("bit-rep");
    HttpResponse<String> made = call(owner, "POST", "/v1/builds",
        "{\"name\": \"" + BUILD + "\", \"git_url\": \"https://git.example.com/team/app.git\", \"image\": \"bit/app\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    for (String[] m : new String[][] {{"bit-guest", "guest"}, {"bit-dev", "developer"}, {"bit-rep", "reporter"}}) {
      assertThat(call(owner, "PUT", "/v1/members/build/" + BUILD + "/" + m[0], "{\"role\": \"" + m[1] + "\"}").statusCode()).isEqualTo(200);
    }
    assertThat(call(owner, "PUT", "/v1/members/group/bit/bit-dev", "{\"role\": \"developer\"}").statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void clean() throws Exception {
    for (JsonNode r : Json.MAPPER.readTree(call(owner, "GET", "/v1/builds/" + BUILD + "/runs", null).body())) {
      call(owner, "POST", "/v1/builds/" + BUILD + "/runs/" + r.path("number").asInt() + "/cancel", null);
    }
    call(owner, "DELETE", "/v1/builds/" + BUILD, null);
  }

  @Test
  void aGuestCannotRunADeveloperCanAndAReporterSeesTheLog() throws Exception {
    assertThat(call(guest, "POST", "/v1/builds/" + BUILD + "/runs", "{}").statusCode()).isEqualTo(403);
    HttpResponse<String> run = call(developer, "POST", "/v1/builds/" + BUILD + "/runs", "{\"ref\": \"main\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonNode r = Json.MAPPER.readTree(run.body());
    assertThat(r.path("state").asText()).isEqualTo("queued");
    String log = "/v1/builds/" + BUILD + "/runs/" + r.path("number").asInt() + "/log";
    assertThat(call(reporter, "GET", log, null).statusCode()).isEqualTo(200);
    assertThat(call(guest, "GET", log, null).statusCode()).isEqualTo(403);
    assertThat(call(reporter, "POST", "/v1/builds/" + BUILD + "/runs/last/cancel", null).statusCode()).isEqualTo(403);
    HttpResponse<String> cancelled = call(developer, "POST", "/v1/builds/" + BUILD + "/runs/last/cancel", null);
    assertThat(Json.MAPPER.readTree(cancelled.body()).path("state").asText()).isEqualTo("cancelled");
  }

  @Test
  void aBadSignatureIs401AndARealGitlabPushToTheBranchQueuesARun() throws Exception {
    String secret = Json.MAPPER.readTree(call(owner, "GET", "/v1/builds/" + BUILD, null).body()).path("hook_secret").asText();
    String push = """
        {"object_kind": "push", "event_name": "push", "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
         "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "ref": "refs/heads/main", "user_username": "jsmith",
         "project": {"path_with_namespace": "team/app", "default_branch": "main"}, "commits": [], "total_commits_count": 0}""";
    assertThat(hook(push, "wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> ran = hook(push, secret);
    assertThat(ran.statusCode()).as(ran.body()).isEqualTo(201);
    int n = Json.MAPPER.readTree(ran.body()).path("run").asInt();
    JsonNode run = Json.MAPPER.readTree(call(owner, "GET", "/v1/builds/" + BUILD + "/runs/" + n, null).body());
    assertThat(run.path("ref").asText()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    assertThat(run.path("trigger").asText()).isEqualTo("push via gitlab");
  }

  private static HttpResponse<String> hook(String body, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl() + "/v1/builds/" + BUILD + "/hook")).timeout(Duration.ofSeconds(10))
        .header("X-Gitlab-Token", token).header("X-Gitlab-Event", "Push Hook")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Makes a user (or finds them made by an earlier run of this class) and signs them in: their session token. */
  private static String user(String name) throws Exception {
    call(cluster.adminToken(), "POST", "/v1/users", "{\"name\": \"" + name + "\", \"password\": \"" + name + "-password\"}");
    HttpResponse<String> r = call(null, "POST", "/v1/login", "{\"user\": \"" + name + "\", \"password\": \"" + name + "-password\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("token").asText();
  }

  private static HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Json;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/images} over HTTP against a small stand-in for distribution's {@code /v2/} API. */
class ImagesApiTest {
  final FakeAccess access = new FakeAccess().admin("root", "pw").user("alice", "pw").user("bob", "pw")
      .member(ResourceKind.GROUP, "team", "alice", Role.MASTER).member(ResourceKind.REPO, "team/app", "bob", Role.REPORTER);
  /** repository → tag → digest. */
  final Map<String, Map<String, String>> repos = new ConcurrentHashMap<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  HttpServer distribution;
  HttpServer api;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    repos.put("team/app", new ConcurrentHashMap<>(Map.of("v1", "sha256:aaa", "latest", "sha256:aaa", "v2", "sha256:bbb")));
    repos.put("other/x", new ConcurrentHashMap<>(Map.of("1", "sha256:ccc")));
    distribution = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    distribution.createContext("/v2/", this::v2);
    distribution.start();
    Instant now = Instant.now();
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", now), Registry.ISSUER, Registry.SERVICE, now);
    RegistryConfig config = RegistryConfig.of(distribution.getAddress(), Path.of("/nonexistent"));
    Registry registry = new Registry(config, "s3cret", access, tokens, repo -> true, Clock.systemUTC());
    // The test's guard: X-User names the caller (the real API's guard asks Access).
    api = Servers.http("test API", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry.addApiRoutes(new Routes(r ->
        r.principal(r.header("X-User").map(access::principal).orElse(Principal.anonymous())))));
  }

  @AfterEach
  void stop() {
    api.stop(0);
    distribution.stop(0);
  }

  private void v2(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestHeaders().getFirst("Authorization") == null) {
        send(ex, 401, "{}", null);
      } else if (path.equals("/v2/_catalog")) {
        send(ex, 200, Json.MAPPER.writeValueAsString(Map.of("repositories", repos.keySet().stream().sorted().toList())), null);
      } else if (path.endsWith("/tags/list")) {
        String repo = path.substring(4, path.length() - "/tags/list".length());
        Map<String, String> tags = repos.get(repo);
        if (tags == null) send(ex, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}", null);
        else send(ex, 200, Json.MAPPER.writeValueAsString(Map.of("name", repo, "tags", tags.keySet())), null);
      } else if (path.contains("/manifests/")) {
        String repo = path.substring(4, path.indexOf("/manifests/"));
        String ref = path.substring(path.indexOf("/manifests/") + "/manifests/".length());
        Map<String, String> tags = repos.getOrDefault(repo, Map.of());
        if (ex.getRequestMethod().equals("DELETE")) {
          deleted.add(repo + "@" + ref);
          tags.values().removeIf(ref::equals);
          send(ex, 202, "", null);
        } else if (tags.containsKey(ref)) {
          send(ex, 200, "{\"config\":{\"size\":100},\"layers\":[{\"size\":1000},{\"size\":234}]}", tags.get(ref));
        } else {
          send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}", null);
        }
      } else {
        send(ex, 404, "{}", null);
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body, String digest) throws IOException {
    if (digest != null) ex.getResponseHeaders().set("Docker-Content-Digest", digest);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  HttpResponse<String> call(String user, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getAddress().getPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) b.header("X-User", user);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void eachCallerListsWhatTheyMayViewAndPublicRepositories() throws Exception {
    assertThat(json(call("root", "GET", "/v1/images", null)).findValuesAsText("name")).containsExactly("other/x", "team/app");
    assertThat(json(call("bob", "GET", "/v1/images", null)).findValuesAsText("name")).containsExactly("team/app");
    access.setPublic("other/x", true);
    JsonNode bob = json(call("bob", "GET", "/v1/images", null));
    assertThat(bob.findValuesAsText("name")).containsExactly("other/x", "team/app");
    assertThat(bob.get(0).path("public").asBoolean()).isTrue();
    assertThat(bob.get(1).path("tags").toString()).isEqualTo("[\"latest\",\"v1\",\"v2\"]");
  }

  @Test
  void tagsCarryTheirDigestAndImageSize() throws Exception {
    HttpResponse<String> r = call("bob", "GET", "/v1/images/team%2Fapp/tags", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[{\"tag\":\"latest\",\"digest\":\"sha256:aaa\",\"size\":1334},"
        + "{\"tag\":\"v1\",\"digest\":\"sha256:aaa\",\"size\":1334},{\"tag\":\"v2\",\"digest\":\"sha256:bbb\",\"size\":1334}]");
    assertThat(call("bob", "GET", "/v1/images/other%2Fx/tags", null).statusCode()).isEqualTo(403);
    assertThat(call("root", "GET", "/v1/images/team%2Fnone/tags", null).body()).contains("no such repository (or it has no tags): team/none");
    assertThat(call("root", "GET", "/v1/images/Team%2F..%2Fx/tags", null).body()).contains("not a repository name");
  }

  @Test
  void deletingATagDeletesItsDigestAndSaysWhichTagsWentWithIt() throws Exception {
    assertThat(call("bob", "DELETE", "/v1/images/team%2Fapp/tags/v1", null).statusCode()).as("a reporter").isEqualTo(403);
    HttpResponse<String> r = call("alice", "DELETE", "/v1/images/team%2Fapp/tags/v1", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("digest").asText()).isEqualTo("sha256:aaa");
    assertThat(json(r).path("deleted_tags").toString()).isEqualTo("[\"latest\",\"v1\"]");
    assertThat(deleted).containsExactly("team/app@sha256:aaa");
    assertThat(call("alice", "DELETE", "/v1/images/team%2Fapp/tags/v1", null).body()).contains("no tag v1 in repository team/app");
  }

  @Test
  void visibilityNeedsMasterAndABooleanAndARegistryThatIsGoneIsA503() throws Exception {
    assertThat(call("bob", "PUT", "/v1/images/team%2Fapp/visibility", "{\"public\": true}").statusCode()).isEqualTo(403);
    assertThat(call("alice", "PUT", "/v1/images/team%2Fapp/visibility", "{\"public\": \"yes\"}").body())
        .contains("public: required, true or false");
    HttpResponse<String> r = call("alice", "PUT", "/v1/images/team%2Fapp/visibility", "{\"public\": true}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(access.isPublic("team/app")).isTrue();
    distribution.stop(0);
    HttpResponse<String> gone = call("root", "GET", "/v1/images", null);
    assertThat(gone.statusCode()).isEqualTo(503);
    assertThat(gone.body()).contains("the image registry at http://127.0.0.1:");
  }
}

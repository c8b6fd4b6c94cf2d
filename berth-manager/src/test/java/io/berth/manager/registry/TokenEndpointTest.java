package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Json;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token endpoint over HTTP, answering what dockerd and {@code docker login} send. */
class TokenEndpointTest {
  static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
  final FakeAccess access = new FakeAccess().user("alice", "secret").user("bob", "pw")
      .member(ResourceKind.REPO, "team/app", "alice", Role.DEVELOPER);
  final HttpClient http = HttpClient.newHttpClient();
  HttpServer server;

  @BeforeEach
  void start() {
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", NOW), Registry.ISSUER, Registry.SERVICE, NOW);
    Registry registry = new Registry(null, "s3cret", access, tokens, "team/app"::equals, Clock.fixed(NOW, ZoneOffset.UTC));
    server = Servers.http("test API", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry.addApiRoutes(new Routes(r -> {})));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<String> get(String query, String user, String password) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/registry/token?" + query));
    if (user != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Object> access(HttpResponse<String> r) throws Exception {
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("access_token").asText()).isEqualTo(body.path("token").asText());
    return SignedJWT.parse(body.path("token").asText()).getJWTClaimsSet().getListClaim("access");
  }

  @Test
  void dockerLoginWithTheRightPasswordGetsATokenAndWithAWrongOneA401() throws Exception {
    HttpResponse<String> ok = get("account=alice&client_id=docker&offline_token=true&service=berth-registry", "alice", "secret");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(ok.body());
    assertThat(body.path("expires_in").asLong()).isEqualTo(300);
    assertThat(body.path("issued_at").asText()).isEqualTo("2026-12-02T00:00:00Z");
    assertThat(SignedJWT.parse(body.path("token").asText()).getJWTClaimsSet().getSubject()).isEqualTo("alice");
    HttpResponse<String> bad = get("account=alice&client_id=docker&offline_token=true&service=berth-registry", "alice", "wrong");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).contains("wrong user name or password").doesNotContain("wrong\"");
  }

  @Test
  void aPushTokenCarriesTheGrantedActionsAndIsAudited() throws Exception {
    HttpResponse<String> r = get("service=berth-registry&scope=repository%3Ateam%2Fapp%3Apush%2Cpull&scope=repository:other/x:pull&account=alice",
        "alice", "secret");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(access(r)).containsExactly(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull", "push")));
    assertThat(access.audit).singleElement().satisfies(e -> {
      assertThat(e.user()).isEqualTo("alice");
      assertThat(e.action()).isEqualTo("registry token");
      assertThat(e.target()).isEqualTo("repository:team/app:pull,push");
      assertThat(e.from()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void anonymousCallersGetAnEmptyTokenForPrivateAndAPullForPublicRepositories() throws Exception {
    assertThat(access(get("service=berth-registry&scope=repository:team/app:pull", null, null))).isEmpty();
    access.setPublic("team/app", true);
    assertThat(access(get("service=berth-registry&scope=repository:team/app:pull", null, null)))
        .containsExactly(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull")));
    assertThat(access.audit).isEmpty(); // pulls are not audited
  }

  @Test
  void aForeignServiceOrAMalformedScopeIsA400() throws Exception {
    HttpResponse<String> r = get("service=elsewhere", null, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("signs for the registry 'berth-registry', not 'elsewhere'");
    assertThat(get("service=berth-registry&scope=junk", null, null).statusCode()).isEqualTo(400);
  }
}

package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Json;
import io.berth.cluster.wire.PullToken;
import io.berth.core.error.BerthException;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nodes get pull tokens for images of Berth's registry; {@code docker login} on the Docker endpoint checks Berth users. */
class NodePullTest {
  static final Instant NOW = Instant.now();

  @Test
  void referencesSplitIntoRegistryHostAndRepositoryAsDockerReadsThem() {
    assertThat(ImageReference.parse("127.0.0.1:5000/team/app:v1")).isEqualTo(new ImageReference(Optional.of("127.0.0.1:5000"), "team/app"));
    assertThat(ImageReference.parse("localhost:5000/app@sha256:abc")).isEqualTo(new ImageReference(Optional.of("localhost:5000"), "app"));
    assertThat(ImageReference.parse("team/app:v1")).isEqualTo(new ImageReference(Optional.empty(), "team/app"));
    assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference(Optional.empty(), "busybox"));
    assertThat(ImageReference.parse("registry.example.com/x/y")).isEqualTo(new ImageReference(Optional.of("registry.example.com"), "x/y"));
    assertThat(ImageReference.parse("localhost:5000/team/app:v1").isFrom("127.0.0.1:5000")).isTrue();
    assertThat(ImageReference.parse("127.0.0.1:5001/team/app:v1").isFrom("127.0.0.1:5000")).isFalse();
  }

  @Test
  void aNodeGetsAPullTokenForOneRepositoryOfThisRegistryAndNothingForOthers() throws Exception {
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", NOW), Registry.ISSUER, Registry.SERVICE, NOW);
    RegistryConfig config = RegistryConfig.of(new InetSocketAddress("127.0.0.1", 5000), Path.of("/nonexistent"));
    Registry registry = new Registry(config, "s3cret", new FakeAccess(), tokens, repo -> true, Clock.systemUTC());
    HttpServer server = Servers.http("test cluster endpoint", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        registry.addClusterRoutes(new Routes(r -> {})));
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/cluster/registry-token?image=";
      HttpResponse<String> ours = http.send(HttpRequest.newBuilder(URI.create(base
          + URLEncoder.encode("127.0.0.1:5000/team/app:v1", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ours.statusCode()).as(ours.body()).isEqualTo(200);
      PullToken t = Json.read(ours.body().getBytes(StandardCharsets.UTF_8), PullToken.class);
      assertThat(t.repository()).isEqualTo("team/app");
      assertThat(SignedJWT.parse(t.token()).getJWTClaimsSet().getListClaim("access"))
          .containsExactly(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull")));
      HttpResponse<String> hub = http.send(HttpRequest.newBuilder(URI.create(base + "busybox:1")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(hub.statusCode()).isEqualTo(204);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void dockerLoginChecksTheUsersPassword() {
    DockerLogin login = new DockerLogin(new FakeAccess().user("alice", "secret"));
    assertThat(login.login("{\"username\":\"alice\",\"password\":\"secret\",\"serveraddress\":\"127.0.0.1:5000\"}".getBytes(), "127.0.0.1"))
        .containsEntry("Status", "Login Succeeded");
    assertThatThrownBy(() -> login.login("{\"username\":\"alice\",\"password\":\"nope\"}".getBytes(), "127.0.0.1"))
        .isInstanceOf(BerthException.Unauthorized.class).hasMessageNotContaining("nope");
    assertThatThrownBy(() -> login.login("{}".getBytes(), "127.0.0.1")).isInstanceOf(BerthException.Unauthorized.class);
    assertThatThrownBy(() -> login.login("not json".getBytes(), "127.0.0.1")).isInstanceOf(BerthException.Invalid.class);
  }
}

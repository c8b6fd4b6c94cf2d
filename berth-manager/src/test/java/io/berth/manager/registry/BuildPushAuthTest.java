package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.berth.cluster.ClusterCa;
import io.berth.cluster.Json;
import io.berth.core.identity.Principal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A build node pushes with a token for one repository, as the user who started the run, for as long as the run may take. */
class BuildPushAuthTest {
  static final Instant NOW = Instant.now();

  @Test
  void thePushHeaderIsARegistryTokenForPullAndPushOnOneRepository() throws Exception {
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", NOW), Registry.ISSUER, Registry.SERVICE, NOW);
    RegistryConfig config = RegistryConfig.of(new InetSocketAddress("127.0.0.1", 5000), Path.of("/nonexistent"));
    Registry registry = new Registry(config, "s3cret", new FakeAccess(), tokens, repo -> false, Clock.systemUTC());
    String header = registry.pushAuth("ann", "team/app", Duration.ofMinutes(32));
    JsonNode auth = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(header));
    JWTClaimsSet claims = SignedJWT.parse(auth.path("registrytoken").asText()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("build:ann");
    assertThat(claims.getListClaim("access"))
        .containsExactly(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull", "push")));
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())).isEqualTo(Duration.ofMinutes(32));
  }

  @Test
  void claimingAPushAsksTheSameRulesAsDockerPush() {
    RegistryTokens tokens = RegistryTokens.create(ClusterCa.create("t", NOW), Registry.ISSUER, Registry.SERVICE, NOW);
    Registry registry = new Registry(null, null, new FakeAccess(), tokens, repo -> true, Clock.systemUTC());
    assertThat(registry.claimPush(Principal.anonymous(), "team/app")).isFalse();
    assertThat(registry.claimPush(Principal.adminToken(), "team/app")).isTrue();
  }
}

package io.berth.manager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.berth.cluster.ClusterCa;
import io.berth.manager.TestStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several managers on one store sign registry tokens with one key, and their registries share one HTTP secret. */
class RegistryKeysTest {
  static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  static final ClusterCa CA = ClusterCa.create("test", NOW);
  @RegisterExtension final TestStore stores = new TestStore();

  @Test
  void twoManagersOnOneStoreIssueTokensTheSameKeyVerifies() throws Exception {
    RegistryTokens first = RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", NOW);
    RegistryTokens second = RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", NOW.plusSeconds(60));
    assertThat(second.certificate()).isEqualTo(first.certificate());
    RSASSAVerifier verifier = new RSASSAVerifier((RSAPublicKey) first.certificate().getPublicKey());
    String bySecond = second.sign("alice", List.of(Scope.repository("team/app", "pull")), NOW);
    assertThat(SignedJWT.parse(bySecond).verify(verifier)).isTrue();
    assertThat(SignedJWT.parse(bySecond).getHeader().getKeyID()).isEqualTo(RegistryTokens.keyId(first.certificate().getPublicKey()));
  }

  @Test
  void aSignerCloseToItsEndIsReplacedForEveryone() {
    RegistryTokens old = RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", NOW);
    Instant late = NOW.plus(Duration.ofDays(340));
    RegistryTokens renewed = RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", late);
    assertThat(renewed.certificate()).isNotEqualTo(old.certificate());
    assertThat(RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", late).certificate()).isEqualTo(renewed.certificate());
  }

  @Test
  void aSignerOfAnotherCaIsReplaced() {
    RegistryTokens other = RegistryKeys.tokens(stores.get(), ClusterCa.create("other", NOW), "berth", "berth-registry", NOW);
    RegistryTokens ours = RegistryKeys.tokens(stores.get(), CA, "berth", "berth-registry", NOW);
    assertThat(ours.certificate()).isNotEqualTo(other.certificate());
    assertThat(ours.certificate().getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
  }

  @Test
  void everyManagerGetsTheSameHttpSecret() {
    String first = RegistryKeys.httpSecret(stores.get());
    assertThat(first).hasSize(48);
    assertThat(RegistryKeys.httpSecret(stores.get())).isEqualTo(first);
  }

  @Test
  void sharedStorageIsWhereTheRegistryKeepsImages() {
    RegistryConfig c = RegistryConfig.of(new InetSocketAddress("127.0.0.1", 5000), Path.of("/var/lib/berth/registry"))
        .withStorage(Path.of("/mnt/shared/registry"));
    String yml = RegistryProcess.configYaml(c, "http://127.0.0.1:8080/v1/registry/token", "berth-registry", "berth", "s3cret");
    assertThat(yml).contains("rootdirectory: \"/mnt/shared/registry\"").contains("rootcertbundle: \"/var/lib/berth/registry/ca.pem\"");
  }
}

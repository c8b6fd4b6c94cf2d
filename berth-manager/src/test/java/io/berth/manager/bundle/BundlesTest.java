package io.berth.manager.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Pem;
import io.berth.cluster.Peers;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.manager.fleet.TestAccess;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlesTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final Principal ALICE = new Principal("alice", false, "token");
  static final Principal BOB = new Principal("bob", false, "token");
  final ClusterCa ca = ClusterCa.create("test", NOW);
  @TempDir Path dir;
  StateStore store;
  Bundles bundles;

  @BeforeEach
  void open() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    bundles = new Bundles(store, ca, new TestAccess().user("alice", "t-alice").user("bob", "t-bob"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aBundleIsACertificateOfTheClusterCaForTheUserWithItsKey() throws Exception {
    bundles.dockerAt(new InetSocketAddress(InetAddress.getByName("10.0.0.5"), 2376), true);
    Bundles.Issued b = bundles.issue(Principal.adminToken(), "alice", "api.example");
    X509Certificate cert = Pem.parseCertificate(b.certPem());
    cert.verify(ca.certificate().getPublicKey());
    assertThat(Peers.name(cert)).isEqualTo("alice");
    assertThat(cert.getSubjectX500Principal().getName()).contains("OU=user");
    assertThat(cert.getSerialNumber().toString(16)).isEqualTo(b.serial());
    assertThat(Pem.parsePrivateKey(b.keyPem())).isNotNull();
    assertThat(b.caPem()).isEqualTo(Pem.certificate(ca.certificate()));
    assertThat(b.dockerHost()).isEqualTo("tcp://10.0.0.5:2376");
    assertThat(b.dockerTls()).isTrue();
    assertThat(store.get("/berth/bundles/" + b.serial()).orElseThrow().text()).contains("\"user\":\"alice\"").doesNotContain("PRIVATE");
  }

  @Test
  void anEndpointOnEveryAddressIsReachedWhereTheApiWas() {
    bundles.dockerAt(new InetSocketAddress(2376), true);
    assertThat(bundles.issue(ALICE, null, "berth.example").dockerHost()).isEqualTo("tcp://berth.example:2376");
  }

  @Test
  void aUserMakesListsAndRevokesTheirOwnOnly() {
    Bundles.Issued a = bundles.issue(ALICE, null, "h");
    assertThat(a.user()).isEqualTo("alice");
    assertThatThrownBy(() -> bundles.issue(BOB, "alice", "h")).isInstanceOf(BerthException.Forbidden.class)
        .hasMessage("bob may not make a bundle for alice: only administrators make other users' bundles");
    Bundles.Issued b = bundles.issue(BOB, null, "h");
    assertThat(bundles.list(ALICE, Optional.empty())).extracting(Bundles.Listed::serial).containsExactly(a.serial());
    assertThat(bundles.list(Principal.adminToken(), Optional.empty())).hasSize(2);
    assertThat(bundles.list(Principal.adminToken(), Optional.of("bob"))).extracting(Bundles.Listed::serial).containsExactly(b.serial());
    assertThatThrownBy(() -> bundles.revoke(ALICE, b.serial())).isInstanceOf(BerthException.NotFound.class)
        .hasMessageStartingWith("no such bundle: " + b.serial());
    bundles.revoke(BOB, b.serial());
    assertThat(bundles.list(BOB, Optional.empty())).singleElement().extracting(Bundles.Listed::revoked).isEqualTo(true);
    assertThatThrownBy(() -> bundles.check(b.serial(), "bob")).isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("was revoked");
    bundles.check(a.serial(), "alice");
    assertThatThrownBy(() -> bundles.check(a.serial(), "bob")).isInstanceOf(BerthException.Unauthorized.class);
  }

  @Test
  void anAnonymousCallerGetsNoneAndABadNameIsRefused() {
    assertThatThrownBy(() -> bundles.issue(Principal.anonymous(), null, "h")).isInstanceOf(BerthException.Unauthorized.class);
    assertThatThrownBy(() -> bundles.issue(Principal.adminToken(), "a b/c", "h")).isInstanceOf(BerthException.Invalid.class);
  }

  @Test
  void anExpiredBundleIsRefused() {
    Bundles.Issued a = bundles.issue(ALICE, null, "h");
    Bundles later = new Bundles(store, ca, new TestAccess().user("alice", "t-alice").user("bob", "t-bob"), Clock.fixed(NOW.plus(Bundles.VALIDITY).plusSeconds(1), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.check(a.serial(), "alice")).isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("has expired");
  }
}

package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Pem;
import io.berth.cluster.Role;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.TestAccess;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallersTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  final ClusterCa cluster = ClusterCa.create("test", NOW);
  final ClusterCa operator = ClusterCa.create("operator", NOW);
  final TestAccess access = new TestAccess().user("alice", "tok-alice").user("carol", "tok-carol");
  @TempDir Path dir;
  StateStore store;
  Bundles bundles;
  Callers callers;

  @BeforeEach
  void open() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    bundles = new Bundles(store, cluster, access, Clock.fixed(NOW, ZoneOffset.UTC));
    callers = new Callers(access, bundles);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aPlainRequestWithoutCredentialsIsTheLocalAdministrator() throws Exception {
    assertThat(callers.of(request(null), null)).isEqualTo(new Principal("admin", true, "local"));
  }

  @Test
  void aBearerTokenIsItsUserAndABadOneIsRefused() throws Exception {
    assertThat(callers.of(request("Bearer tok-alice"), null)).isEqualTo(new Principal("alice", false, "token"));
    assertThatThrownBy(() -> callers.of(request("Bearer nope"), null)).isInstanceOf(BerthException.Unauthorized.class);
  }

  @Test
  void aBundleNamesItsUserUnlessRevokedOrTheUserIsGone() {
    Bundles.Issued issued = bundles.issue(Principal.adminToken(), "alice", "127.0.0.1");
    X509Certificate alice = Pem.parseCertificate(issued.certPem());
    assertThat(callers.ofCertificate(alice)).isEqualTo(new Principal("alice", false, "cert"));
    bundles.revoke(new Principal("alice", false, "token"), issued.serial());
    assertThatThrownBy(() -> callers.ofCertificate(alice)).isInstanceOf(BerthException.Unauthorized.class)
        .hasMessage("bundle " + issued.serial() + " of alice was revoked: get a new one with 'berth bundle'");
    X509Certificate carol = Pem.parseCertificate(bundles.issue(Principal.adminToken(), "carol", "h").certPem());
    access.users.remove("carol");
    assertThatThrownBy(() -> callers.ofCertificate(carol)).isInstanceOf(BerthException.Unauthorized.class).hasMessage("no such user: carol");
    assertThatThrownBy(() -> callers.ofCertificate(cert(cluster, "alice", Role.USER))).as("signed by the CA but never recorded")
        .isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("is not one this cluster issued");
  }

  @Test
  void aNodesOrManagersClusterCertificateIsNoBundle() {
    assertThatThrownBy(() -> callers.ofCertificate(cert(cluster, "node1", Role.NODE)))
        .isInstanceOf(BerthException.Unauthorized.class).hasMessage("a cluster certificate of a node is not a client bundle: get one with 'berth bundle'");
    assertThatThrownBy(() -> callers.ofCertificate(cert(cluster, "manager-x", Role.MANAGER))).isInstanceOf(BerthException.Unauthorized.class);
  }

  @Test
  void aCertificateOfTheOperatorsCaIsAnAdministrator() {
    assertThat(callers.ofCertificate(cert(operator, "ops", Role.USER))).isEqualTo(new Principal("ops", true, "cert"));
    // Without --docker-tls there are no bundles: every certificate the handshake verified is the operator's.
    assertThat(new Callers(access, null).ofCertificate(cert(cluster, "alice", Role.USER))).isEqualTo(new Principal("alice", true, "cert"));
  }

  private static X509Certificate cert(ClusterCa ca, String name, Role role) {
    return ca.newIdentity(name, role, Duration.ofDays(1), NOW).certificate();
  }

  private static HttpMessage request(String authorization) throws Exception {
    String head = "GET /containers/json HTTP/1.1\r\nHost: docker\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
    return HttpMessage.read(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
  }
}

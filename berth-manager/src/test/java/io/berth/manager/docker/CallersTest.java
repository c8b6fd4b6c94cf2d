package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Role;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallersTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  final ClusterCa cluster = ClusterCa.create("test", NOW);
  final ClusterCa operator = ClusterCa.create("operator", NOW);
  final TestAccess access = new TestAccess().user("alice", "tok-alice");
  final Callers callers = new Callers(access, cluster.certificate());

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
    X509Certificate alice = cert(cluster, "alice", Role.USER);
    assertThat(callers.ofCertificate(alice)).isEqualTo(new Principal("alice", false, "cert"));
    access.revoked.add(Callers.serial(alice));
    assertThatThrownBy(() -> callers.ofCertificate(alice)).isInstanceOf(BerthException.Unauthorized.class).hasMessageContaining("revoked");
    assertThatThrownBy(() -> callers.ofCertificate(cert(cluster, "carol", Role.USER))).isInstanceOf(BerthException.Unauthorized.class);
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

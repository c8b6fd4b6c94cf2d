package io.berth.manager.docker;

import io.berth.cluster.Role;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.identity.Access;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * Who makes a Docker call. Over TLS, the client certificate the handshake verified: one the
 * cluster CA signed for a user ({@code OU=user}) is a bundle and names that user, whom
 * {@link Access#certificateUser} confirms (or refuses: the user is gone, the bundle revoked); one
 * signed by the operator's own CA ({@code --tlscacert}) is an administrator, as classic Swarm
 * trusted its CA. Without a certificate, an {@code Authorization} header (docker's config.json
 * {@code HttpHeaders}) is that token's user, and no header at all is the local administrator —
 * the plain endpoint is trusted like an engine's unix socket, so it should listen only where
 * every client may be an administrator.
 */
final class Callers {
  /** The caller of the plain endpoint with no credentials. */
  static final Principal LOCAL = new Principal("admin", true, "local");
  private final Access access;
  private final Bundles bundles;

  /** @param bundles the bundles the cluster CA signed (with {@code --docker-tls}), or null when there are none */
  Callers(Access access, Bundles bundles) {
    this.access = access;
    this.bundles = bundles;
  }

  Access access() {
    return access;
  }

  /** Resolved per request, not per connection: a bundle revoked or a user removed stops working on open connections too. */
  Principal of(HttpMessage request, Socket client) {
    Optional<X509Certificate> cert = peer(client);
    if (cert.isPresent()) return ofCertificate(cert.get());
    String auth = request.header("Authorization");
    if (auth == null || auth.isBlank()) return LOCAL;
    Principal p = access.caller(Optional.of(auth), remote(client));
    if (p.isAnonymous()) throw new BerthException.Unauthorized("the Authorization header names no user: send 'Bearer TOKEN'");
    return p;
  }

  Principal ofCertificate(X509Certificate leaf) {
    String cn = attribute(leaf, "CN").orElseThrow(() -> new BerthException.Unauthorized("the client certificate names no user (no CN)"));
    if (bundles != null && signedBy(leaf, bundles.ca())) {
      String role = attribute(leaf, "OU").orElse("");
      if (!role.equals(Role.USER.word())) {
        throw new BerthException.Unauthorized("a cluster certificate of a " + (role.isEmpty() ? "peer" : role)
            + " is not a client bundle: get one with 'berth bundle'");
      }
      bundles.check(serial(leaf), cn); // revoked, expired, or never recorded: refused before the user is looked at
      return access.certificateUser(cn, serial(leaf));
    }
    return new Principal(cn, true, "cert");
  }

  /** A certificate's serial as {@code GET /v1/bundles} shows it: lower-case hex. */
  static String serial(X509Certificate cert) {
    return cert.getSerialNumber().toString(16);
  }

  static String remote(Socket client) {
    return client == null || client.getInetAddress() == null ? "" : client.getInetAddress().getHostAddress();
  }

  private static Optional<X509Certificate> peer(Socket client) {
    if (!(client instanceof SSLSocket tls)) return Optional.empty();
    try {
      Certificate[] chain = tls.getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // TLS without client certificates (--tlscert/--tlskey alone)
    }
  }

  private static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Optional<String> attribute(X509Certificate cert, String type) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) return Optional.of(rdn.getValue().toString());
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }
}

package io.berth.cluster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads who a TLS peer is from its cluster certificate: CN is its name, OU its role. */
public final class Peers {
  private Peers() {}

  /** The peer's name and role, or empty when it presented no (valid) cluster certificate. */
  public static Optional<Peer> of(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return Optional.empty();
      return Optional.of(new Peer(name(leaf), Role.of(attribute(leaf, "OU")), id(leaf)));
    } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A short stable id for a peer: the first 12 bytes of the SHA-256 of its public key, hex. */
  public static String id(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String name(X509Certificate cert) {
    return attribute(cert, "CN");
  }

  private static String attribute(X509Certificate cert, String type) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase(type)) return rdn.getValue().toString();
      }
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException(e);
    }
    throw new IllegalArgumentException("certificate has no " + type);
  }

  /** A verified peer. */
  public record Peer(String name, Role role, String id) {}
}

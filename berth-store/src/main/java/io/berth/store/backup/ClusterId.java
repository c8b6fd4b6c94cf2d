package io.berth.store.backup;

import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A cluster's identity: the SHA-256 of its CA certificate (DER, hex), as join tokens pin it and
 * the manager's {@code cluster-ca.sha256} records it. Computed here from the store's PEM so that
 * the store module needs nothing of the cluster module.
 */
public final class ClusterId {
  /** Where the first manager put the CA certificate. */
  public static final String CA_CERT = "/berth/cluster/ca.pem";

  private ClusterId() {}

  /** The store's cluster, or empty when it holds no CA yet. */
  public static Optional<String> of(StateStore store) {
    return store.get(CA_CERT).map(KeyValue::value).map(ClusterId::fingerprint);
  }

  static String fingerprint(byte[] pem) {
    try {
      var cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new BackupException("the store's CA certificate at " + CA_CERT + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The first 16 hex digits, as messages show a fingerprint. */
  static String abbrev(String cluster) {
    return cluster.isEmpty() ? "(none)" : "sha256:" + (cluster.length() > 16 ? cluster.substring(0, 16) + "…" : cluster);
  }
}

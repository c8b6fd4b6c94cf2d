package io.berth.manager.registry;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.Pem;
import io.berth.cluster.Role;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The registry's secrets that every manager must share, kept in the store as the CA is: the token
 * signing key with its CA-signed certificate (so a token any manager issues is one every registry
 * child verifies, under one {@code kid}), and distribution's HTTP secret (so upload state one
 * registry signed is good at another behind the same front). The first manager creates each with
 * create-if-absent; the others read what it wrote.
 */
final class RegistryKeys {
  static final String SIGNER = "/berth/registry/token-signer";
  static final String HTTP_SECRET = "/berth/registry/http-secret";
  /** A signer this close to its certificate's end is replaced, so no manager starts on one about to lapse. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final int ATTEMPTS = 5;

  private RegistryKeys() {}

  /** The cluster's token signer: the stored one, or a fresh one stored when none is (or it lapses soon). */
  static RegistryTokens tokens(StateStore store, ClusterCa ca, String issuer, String service, Instant now) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> stored = store.get(SIGNER);
      if (stored.isPresent()) {
        String pem = stored.get().text();
        X509Certificate cert = Pem.parseCertificate(pem);
        if (usable(cert, ca, now)) {
          return new RegistryTokens(issuer, service, new KeyPair(cert.getPublicKey(), Pem.parsePrivateKey(pem)), cert, ca.certificate());
        }
      }
      KeyPair pair = RegistryTokens.rsaKeyPair();
      X509Certificate cert = ca.issue(pair.getPublic(), "registry-token-signer", Role.MANAGER, Duration.ofDays(365), now);
      byte[] value = (Pem.privateKey(pair.getPrivate()) + Pem.certificate(cert)).getBytes(StandardCharsets.UTF_8);
      // Whether this write or another manager's wins, the next read returns the one the cluster keeps.
      store.compareAndPut(SIGNER, value, stored.map(KeyValue::modRevision).orElse(0L), StateStore.Lease.NONE);
    }
    throw new IllegalStateException("cannot settle the registry token signer in the store (" + SIGNER + "): it keeps changing");
  }

  /** distribution's {@code http.secret}, the same on every manager. */
  static String httpSecret(StateStore store) {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    store.create(HTTP_SECRET, HexFormat.of().formatHex(b).getBytes(StandardCharsets.UTF_8), StateStore.Lease.NONE);
    return store.get(HTTP_SECRET).map(KeyValue::text)
        .orElseThrow(() -> new IllegalStateException("the registry's HTTP secret vanished from the store: " + HTTP_SECRET));
  }

  /** Signed by this cluster's CA and valid for a while yet. */
  private static boolean usable(X509Certificate cert, ClusterCa ca, Instant now) {
    try {
      cert.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    return cert.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
  }
}

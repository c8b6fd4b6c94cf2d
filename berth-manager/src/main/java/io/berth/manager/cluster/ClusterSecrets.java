package io.berth.manager.cluster;

import io.berth.cluster.ClusterCa;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Pem;
import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The cluster's secrets, kept in the store so every manager shares them: the CA (certificate and
 * key), the join token, and the SHA-256 of the admin API token (the token itself is only shown
 * once, in the data dir of the manager that made it). Created by the first manager to start;
 * create-if-absent makes two managers starting at once agree on one set.
 */
public final class ClusterSecrets {
  static final String CA_CERT = Keys.CLUSTER + "ca.pem";
  static final String CA_KEY = Keys.CLUSTER + "ca-key.pem";
  static final String JOIN_TOKEN = Keys.CLUSTER + "join-token";
  static final String ADMIN_TOKEN_HASH = Keys.CLUSTER + "admin-token-sha256";

  private final ClusterCa ca;
  private final JoinToken joinToken;
  private final String adminTokenHash;
  private final Optional<String> newAdminToken;

  private ClusterSecrets(ClusterCa ca, JoinToken joinToken, String adminTokenHash, Optional<String> newAdminToken) {
    this.ca = ca;
    this.joinToken = joinToken;
    this.adminTokenHash = adminTokenHash;
    this.newAdminToken = newAdminToken;
  }

  /** Loads the secrets, creating whichever are missing. */
  public static ClusterSecrets loadOrCreate(StateStore store, Instant now) {
    if (store.get(CA_CERT).isEmpty()) {
      ClusterCa fresh = ClusterCa.create("berth", now);
      // The key goes first: a reader that sees the certificate always finds its key.
      store.create(CA_KEY, utf8(Pem.privateKey(fresh.key())), 0);
      String key = text(store.get(CA_KEY).orElseThrow());
      if (key.equals(Pem.privateKey(fresh.key()))) store.create(CA_CERT, utf8(Pem.certificate(fresh.certificate())), 0);
    }
    ClusterCa ca = new ClusterCa(Pem.parseCertificate(text(awaitKey(store, CA_CERT))),
        Pem.parsePrivateKey(text(store.get(CA_KEY).orElseThrow())));
    store.create(JOIN_TOKEN, utf8(JoinToken.generate(ca.fingerprint()).toString()), 0);
    JoinToken join = JoinToken.parse(text(store.get(JOIN_TOKEN).orElseThrow()));
    String adminToken = "berth-" + randomText();
    boolean made = store.create(ADMIN_TOKEN_HASH, utf8(sha256(adminToken)), 0);
    String hash = text(store.get(ADMIN_TOKEN_HASH).orElseThrow());
    return new ClusterSecrets(ca, join, hash, made ? Optional.of(adminToken) : Optional.empty());
  }

  private static KeyValue awaitKey(StateStore store, String key) {
    for (int i = 0; i < 50; i++) {
      Optional<KeyValue> kv = store.get(key);
      if (kv.isPresent()) return kv.get();
      try {
        Thread.sleep(100); // another manager is between writing the CA key and its certificate
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("the cluster CA in the store is incomplete: " + key + " is missing");
  }

  public ClusterCa ca() {
    return ca;
  }

  public JoinToken joinToken() {
    return joinToken;
  }

  /** The admin token when this start created it (to be written to the data dir), else empty. */
  public Optional<String> newAdminToken() {
    return newAdminToken;
  }

  /** True when {@code token} is the admin token (compared by hash, in constant time). */
  public boolean isAdminToken(String token) {
    return MessageDigest.isEqual(sha256(token).getBytes(StandardCharsets.UTF_8), adminTokenHash.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomText() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(KeyValue kv) {
    return kv.text();
  }
}

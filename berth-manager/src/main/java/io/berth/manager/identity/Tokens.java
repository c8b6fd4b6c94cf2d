package io.berth.manager.identity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API and session tokens. A token reads {@code bt_<cluster>_<id>_<secret>}: the cluster part tells
 * a token of another Berth cluster from a wrong one, the id finds its record, and only the SHA-256
 * of the whole token is stored. A revoked token keeps its record (so it is refused as "revoked",
 * not "unknown") until it would have expired.
 */
public final class Tokens {
  public static final String API = "api";
  public static final String SESSION = "session";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final StateStore store;
  private final Clock clock;
  private final String cluster;

  /** A stored token: never its text, only its hash. */
  public record Token(String id, String user, String name, String kind, String hash, Instant createdAt, Instant expiresAt,
      Instant revokedAt) {
    public View view() {
      return new View(id, name, user, kind, createdAt, expiresAt, revokedAt != null);
    }
  }

  public record View(String id, String name, String user, String kind, Instant createdAt, Instant expiresAt, boolean revoked) {}

  /** A token just made: the only time its text is known. */
  public record Issued(String id, String name, String user, String token, Instant createdAt, Instant expiresAt) {}

  Tokens(StateStore store, Clock clock, String cluster) {
    this.store = store;
    this.clock = clock;
    this.cluster = cluster;
  }

  Issued issue(String user, String name, String kind, Duration ttl) {
    String id = HexFormat.of().formatHex(random(6));
    String text = "bt_" + cluster + "_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
    Instant now = clock.instant();
    Token t = new Token(id, user, name, kind, sha256(text), now, now.plus(ttl), null);
    store.put(Keys.TOKENS + id, Json.bytes(t));
    return new Issued(id, name, user, text, now, t.expiresAt());
  }

  /**
   * The token's record if {@code text} is a live token of this cluster; otherwise a 401 that says
   * which: not a Berth token, another cluster's, unknown, revoked, or expired (and when).
   */
  Token verify(String text) {
    String[] parts = text.split("_", 4);
    if (parts.length != 4 || !parts[0].equals("bt")) throw new BerthException.Unauthorized("invalid token: not a Berth token");
    if (!parts[1].equals(cluster)) {
      throw new BerthException.Unauthorized("invalid token: it was made by another Berth cluster (" + parts[1] + "); this is " + cluster);
    }
    Token t = find(parts[2]).orElseThrow(() -> new BerthException.Unauthorized("invalid token: unknown or removed"));
    if (!MessageDigest.isEqual(t.hash().getBytes(StandardCharsets.UTF_8), sha256(text).getBytes(StandardCharsets.UTF_8))) {
      throw new BerthException.Unauthorized("invalid token: unknown or removed");
    }
    if (t.revokedAt() != null) throw new BerthException.Unauthorized("token " + t.id() + " was revoked at " + t.revokedAt());
    if (!clock.instant().isBefore(t.expiresAt())) throw new BerthException.Unauthorized("token " + t.id() + " expired at " + t.expiresAt());
    return t;
  }

  Optional<Token> find(String id) {
    if (!id.matches("[0-9a-f]{12}")) return Optional.empty();
    return store.get(Keys.TOKENS + id).map(kv -> Json.read(kv.value(), Token.class));
  }

  /** Tokens of {@code user}, or of everyone when null; expired ones older than a day are dropped on the way. */
  List<Token> list(String user) {
    List<Token> out = new ArrayList<>();
    Instant cutoff = clock.instant().minus(Duration.ofDays(1));
    for (KeyValue kv : store.range(Keys.TOKENS, 0).items()) {
      Token t = Json.read(kv.value(), Token.class);
      if (t.expiresAt().isBefore(cutoff)) {
        store.compareAndDelete(kv.key(), kv.modRevision());
        continue;
      }
      if (user == null || t.user().equals(user)) out.add(t);
    }
    return out;
  }

  void revoke(Token t) {
    if (t.revokedAt() != null) return;
    store.put(Keys.TOKENS + t.id(), Json.bytes(new Token(t.id(), t.user(), t.name(), t.kind(), t.hash(), t.createdAt(), t.expiresAt(),
        clock.instant())));
  }

  /** Revokes every token of a user (when the user is removed). */
  void revokeAll(String user) {
    for (Token t : list(user)) revoke(t);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

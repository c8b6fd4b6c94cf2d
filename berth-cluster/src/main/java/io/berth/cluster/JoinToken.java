package io.berth.cluster;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret a node presents once to join: {@code BERTH-1-<CA sha256>-<secret>}. As in Docker's
 * swarm tokens, the first part pins the cluster CA, so the joining node can check the manager
 * before it sends anything; the second part proves the node may join.
 */
public record JoinToken(String caFingerprint, String secret) {
  private static final Pattern FORM = Pattern.compile("BERTH-1-([0-9a-f]{64})-([0-9a-z]{26})");
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  /** A new token with a random 26-character secret (~134 bits) for the given CA. */
  public static JoinToken generate(String caFingerprint) {
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 26; i++) s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return new JoinToken(caFingerprint, s.toString());
  }

  /** Parses a token; the message says what the form should be when it is not one. */
  public static JoinToken parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("malformed join token: expected BERTH-1-<64 hex>-<26 chars>, as printed by 'berth join-token'");
    }
    return new JoinToken(m.group(1), m.group(2));
  }

  /** Compares secrets in constant time. */
  public boolean secretMatches(JoinToken other) {
    return MessageDigest.isEqual(secret.getBytes(), other.secret.getBytes());
  }

  @Override
  public String toString() {
    return "BERTH-1-" + caFingerprint + "-" + secret;
  }
}

package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Passwords as bcrypt hashes (Bouncy Castle's OpenBSD bcrypt, {@code $2b$}, a 16-byte salt each):
 * slow on purpose, so a stolen store does not give the passwords away quickly.
 */
final class Passwords {
  /** Cost 12 took ~250 ms on this machine's cores: slow enough for stolen hashes, fast enough for a sign-in. */
  static final int DEFAULT_COST = 12;
  static final int MIN_LENGTH = 8;
  /** bcrypt reads only the first 72 bytes; a longer password would be silently cut, so it is refused. */
  static final int MAX_BYTES = 72;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final int cost;

  Passwords(int cost) {
    this.cost = cost;
  }

  /** The hash to store; a password too short or too long is a 400 saying so. */
  String hash(String password) {
    check(password);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
  }

  /** True when {@code password} matches {@code hash}; a null hash (no password set) matches nothing. */
  boolean matches(String hash, String password) {
    if (hash == null || password == null || password.isEmpty()) return false;
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return false;
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  static void check(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw new BerthException.Invalid("WeakPassword", "a password needs at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new BerthException.Invalid("WeakPassword", "a password may have at most " + MAX_BYTES + " bytes (bcrypt reads no more)");
    }
  }
}

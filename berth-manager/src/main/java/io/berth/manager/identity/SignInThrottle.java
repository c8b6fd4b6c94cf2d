package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after {@value #FREE} failed sign-ins in a row for a user, or from an
 * address, each further attempt must wait twice as long as the last (1 s, 2 s, 4 s … up to 5
 * minutes) — an attempt during the wait is refused without checking the password. A success clears
 * the user's count and the address's. Kept per manager, in memory: a restart forgives.
 */
final class SignInThrottle {
  static final int FREE = 3;
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  private static final int MAX_TRACKED = 100_000;
  private final Clock clock;
  private final Map<String, Failures> byKey = new ConcurrentHashMap<>();

  SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  private record Failures(int count, Instant last) {
    Instant until() {
      if (count < FREE) return last;
      long seconds = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(20, count - FREE));
      return last.plusSeconds(seconds);
    }
  }

  /** Throws 429 when the user or the address must still wait. */
  void check(String user, String address) {
    Instant now = clock.instant();
    for (String key : new String[] {"user:" + user, "addr:" + address}) {
      Failures f = byKey.get(key);
      if (f == null || f.count < FREE) continue;
      Instant until = f.until();
      if (now.isBefore(until)) {
        long wait = Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1);
        String who = key.startsWith("user:") ? "for " + user : "from " + address;
        throw new BerthException.Throttled("TooManyAttempts", "too many failed sign-ins " + who + "; try again in " + wait + " s");
      }
    }
  }

  void failed(String user, String address) {
    Instant now = clock.instant();
    if (byKey.size() > MAX_TRACKED) byKey.clear(); // a flood of made-up names must not grow memory without end
    for (String key : new String[] {"user:" + user, "addr:" + address}) {
      byKey.merge(key, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
    }
  }

  void succeeded(String user, String address) {
    byKey.remove("user:" + user);
    byKey.remove("addr:" + address);
  }
}

package io.berth.manager.identity;

import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Slows down guessing: after {@value #FREE} failed sign-ins in a row for a user, or from an
 * address, each further attempt must wait twice as long as the last (1 s, 2 s, 4 s … up to 5
 * minutes) — an attempt during the wait is refused without checking the password. A success clears
 * the user's count and the address's. The counts are in the store, one key per user and per address,
 * so guesses spread over several managers count as one run; each key is on a lease of its wait plus
 * {@link #MAX_WAIT}, so a name or address quiet that long is forgiven and a flood of made-up names
 * does not stay in the store.
 */
final class SignInThrottle {
  static final int FREE = 3;
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  static final String PREFIX = "/berth/sign-in-failures/";
  /** Two managers counting the same key at once: the loser reads again; more rounds than that is not a race but a flood. */
  private static final int ATTEMPTS = 8;
  private final StateStore store;
  private final Clock clock;

  SignInThrottle(StateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A run of failures: how many, and when the last was; stored as {@code "COUNT MILLIS"}. */
  private record Failures(int count, Instant last) {
    Instant until() {
      if (count < FREE) return last;
      long seconds = Math.min(MAX_WAIT.toSeconds(), 1L << Math.min(20, count - FREE));
      return last.plusSeconds(seconds);
    }

    static Optional<Failures> parse(KeyValue kv) {
      String[] parts = kv.text().split(" ");
      try {
        return Optional.of(new Failures(Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1]))));
      } catch (RuntimeException e) {
        return Optional.empty(); // not ours to understand: counts as no failures, and the next failure overwrites it
      }
    }

    byte[] bytes() {
      return (count + " " + last.toEpochMilli()).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Throws 429 when the user or the address must still wait. */
  void check(String user, String address) {
    Instant now = clock.instant();
    for (String key : keys(user, address)) {
      Optional<Failures> f = store.get(key).flatMap(Failures::parse);
      if (f.isEmpty() || f.get().count() < FREE) continue;
      Instant until = f.get().until();
      if (now.isBefore(until)) {
        long wait = Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1);
        String who = key.startsWith(PREFIX + "user:") ? "for " + user : "from " + address;
        throw new BerthException.Throttled("TooManyAttempts", "too many failed sign-ins " + who + "; try again in " + wait + " s");
      }
    }
  }

  void failed(String user, String address) {
    Instant now = clock.instant();
    for (String key : keys(user, address)) count(key, now);
  }

  /** One more failure on {@code key}, with compare-and-put so that two managers counting at once both count. */
  private void count(String key, Instant now) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> old = store.get(key);
      Failures next = new Failures(old.flatMap(Failures::parse).map(Failures::count).orElse(0) + 1, now);
      long lease = store.grantLease(Duration.between(now, next.until()).plus(MAX_WAIT));
      if (store.compareAndPut(key, next.bytes(), old.map(KeyValue::modRevision).orElse(0L), lease).isPresent()) {
        old.ifPresent(kv -> revokeQuietly(kv.lease())); // the key is on the new lease now; the old one holds nothing
        return;
      }
      store.revoke(lease);
    }
  }

  void succeeded(String user, String address) {
    for (String key : keys(user, address)) {
      store.get(key).ifPresent(kv -> {
        store.delete(key);
        revokeQuietly(kv.lease());
      });
    }
  }

  private void revokeQuietly(long lease) {
    if (lease != StateStore.Lease.NONE) store.revoke(lease);
  }

  private static List<String> keys(String user, String address) {
    return List.of(PREFIX + "user:" + Keys.segment(user), PREFIX + "addr:" + Keys.segment(address == null ? "" : address));
  }
}

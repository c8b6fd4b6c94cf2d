package io.berth.manager.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed sign-ins are counted in the store, so guesses spread over two managers wait as if sent to one. */
class SignInThrottleTest {
  @TempDir Path dir;
  StateStore store;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T08:00:00Z"));
  final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override public Instant instant() {
      return now.get();
    }
  };

  @BeforeEach
  void open() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void failuresThroughTwoManagersCountAsOneRunAndTheWaitDoubles() {
    SignInThrottle a = new SignInThrottle(store, clock);
    SignInThrottle b = new SignInThrottle(store, clock);
    a.failed("alice", "10.0.0.9");
    b.failed("alice", "10.0.0.9");
    assertThatCode(() -> a.check("alice", "10.0.0.9")).doesNotThrowAnyException();
    a.failed("alice", "10.0.0.9");
    assertThatThrownBy(() -> b.check("alice", "10.0.0.7")).isInstanceOf(BerthException.Throttled.class)
        .hasMessage("too many failed sign-ins for alice; try again in 2 s");
    assertThatThrownBy(() -> a.check("bob", "10.0.0.9")).hasMessage("too many failed sign-ins from 10.0.0.9; try again in 2 s");
    now.set(now.get().plusSeconds(1));
    assertThatCode(() -> b.check("alice", "10.0.0.9")).doesNotThrowAnyException();
    b.failed("alice", "10.0.0.9");
    assertThatThrownBy(() -> a.check("alice", "10.0.0.9")).hasMessageContaining("try again in 3 s");
  }

  @Test
  void aSuccessOnOneManagerClearsTheOthersCount() {
    SignInThrottle a = new SignInThrottle(store, clock);
    SignInThrottle b = new SignInThrottle(store, clock);
    for (int i = 0; i < 3; i++) a.failed("alice", "10.0.0.9");
    b.succeeded("alice", "10.0.0.9");
    assertThatCode(() -> a.check("alice", "10.0.0.9")).doesNotThrowAnyException();
    a.failed("alice/with%odd", "::1");
    assertThatCode(() -> a.check("alice/with%odd", "::1")).doesNotThrowAnyException();
  }

  @Test
  void eachCountLivesOnItsOwnLeaseAndGoesWithIt() {
    SignInThrottle a = new SignInThrottle(store, clock);
    for (int i = 0; i < 4; i++) a.failed("alice", "10.0.0.9");
    long lease = store.get(SignInThrottle.PREFIX + "user:alice").orElseThrow().lease();
    assertThat(lease).isNotZero();
    store.revoke(lease); // as the lease running out would
    assertThatCode(() -> a.check("alice", "10.0.0.9")).isInstanceOf(BerthException.Throttled.class); // the address still waits
    assertThatCode(() -> a.check("alice", "10.0.0.8")).doesNotThrowAnyException();
  }
}

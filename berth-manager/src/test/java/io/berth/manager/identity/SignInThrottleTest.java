package io.berth.manager.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.manager.TestStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failed sign-ins are counted in the stores.get(), so guesses spread over two managers wait as if sent to one. */
class SignInThrottleTest {
  @RegisterExtension final TestStore stores = new TestStore();
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

  @Test
  void failuresThroughTwoManagersCountAsOneRunAndTheWaitDoubles() {
    SignInThrottle a = new SignInThrottle(stores.get(), clock);
    SignInThrottle b = new SignInThrottle(stores.get(), clock);
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
    SignInThrottle a = new SignInThrottle(stores.get(), clock);
    SignInThrottle b = new SignInThrottle(stores.get(), clock);
    for (int i = 0; i < 3; i++) a.failed("alice", "10.0.0.9");
    b.succeeded("alice", "10.0.0.9");
    assertThatCode(() -> a.check("alice", "10.0.0.9")).doesNotThrowAnyException();
    a.failed("alice/with%odd", "::1");
    assertThatCode(() -> a.check("alice/with%odd", "::1")).doesNotThrowAnyException();
  }

  @Test
  void eachCountLivesOnItsOwnLeaseAndGoesWithIt() {
    SignInThrottle a = new SignInThrottle(stores.get(), clock);
    for (int i = 0; i < 4; i++) a.failed("alice", "10.0.0.9");
    long lease = stores.get().get(SignInThrottle.PREFIX + "user:alice").orElseThrow().lease();
    assertThat(lease).isNotZero();
    stores.get().revoke(lease); // as the lease running out would
    assertThatCode(() -> a.check("alice", "10.0.0.9")).isInstanceOf(BerthException.Throttled.class); // the address still waits
    assertThatCode(() -> a.check("alice", "10.0.0.8")).doesNotThrowAnyException();
  }
}

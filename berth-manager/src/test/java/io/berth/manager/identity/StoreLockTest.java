package io.berth.manager.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.manager.TestStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store lock: a holder slower than its lease keeps it; one who waits past the wait gets a 503 naming the holder. */
class StoreLockTest {
  static final Duration HOLD = Duration.ofMillis(600);
  @RegisterExtension final TestStore stores = new TestStore();

  @Test
  void aHolderSlowerThanItsLeaseKeepsTheLockAndTheOtherIsToldWho() throws Exception {
    StoreLock a = new StoreLock(stores.get(), "/berth/locks/test", "manager-a", HOLD, Duration.ofSeconds(5), "test lock");
    StoreLock b = new StoreLock(stores.get(), "/berth/locks/test", "manager-b", HOLD, Duration.ofMillis(1500), "test lock");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread slow = Thread.ofPlatform().start(() -> a.holding(() -> {
      holding.countDown();
      try {
        return done.await(4, TimeUnit.SECONDS); // three leases long: only the keep-alive holds the lock that long
      } catch (InterruptedException e) {
        return false;
      }
    }));
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> b.holding(() -> null)).isInstanceOf(BerthException.Unavailable.class)
        .hasMessage("another manager (manager-a) has held the test lock for 1 s; try again");
    done.countDown();
    slow.join(5000);
    assertThat(b.holding(() -> "free")).isEqualTo("free");
    assertThat(stores.get().get("/berth/locks/test")).isEmpty();
  }

  @Test
  void takesShareOneLeaseAndALostLeaseIsReplaced() {
    StoreLock a = new StoreLock(stores.get(), "/berth/locks/test", "manager-a", HOLD, Duration.ofSeconds(5), "test lock");
    long first = a.holding(() -> stores.get().get("/berth/locks/test").orElseThrow().lease());
    long second = a.holding(() -> stores.get().get("/berth/locks/test").orElseThrow().lease());
    assertThat(second).isEqualTo(first);
    assertThat(stores.get().get("/berth/locks/test")).isEmpty();

    stores.get().revoke(first); // as when the store was away longer than the lease
    long third = a.holding(() -> stores.get().get("/berth/locks/test").orElseThrow().lease());
    assertThat(third).isNotEqualTo(first);
    assertThat(stores.get().get("/berth/locks/test")).isEmpty();
  }
}

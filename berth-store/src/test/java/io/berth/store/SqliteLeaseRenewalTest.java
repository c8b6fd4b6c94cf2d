package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewals that wait for the write lock (a slow write, or thousands of heartbeats at once): judged at
 * their arrival, written together. The test holds the store's lock itself to play the slow write, and
 * moves the store's clock.
 */
class SqliteLeaseRenewalTest {
  private static final SqliteOptions NO_HOUSEKEEPING =
      new SqliteOptions(Duration.ofHours(1), Duration.ofHours(1), 10_000, Duration.ofHours(1));
  private static final Duration TTL = Duration.ofSeconds(90);
  private static final int NODES = 200;

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private SqliteStateStore store;
  private final List<Long> leases = new ArrayList<>();
  private ExecutorService callers;

  @BeforeEach
  void open() {
    store = SqliteStateStore.open(dir.resolve("berth.db"), NO_HOUSEKEEPING, now::get);
    for (int i = 0; i < NODES; i++) {
      long lease = store.grantLease(TTL);
      store.put("/berth/health/n" + i, Long.toString(lease).getBytes(StandardCharsets.UTF_8), lease);
      leases.add(lease);
    }
    callers = Executors.newVirtualThreadPerTaskExecutor();
  }

  @AfterEach
  void close() {
    callers.shutdownNow();
    store.close();
  }

  /** Every node renews just before its lease ends, while a slow write holds the lock; returns once all wait for it. */
  private List<Future<Boolean>> renewWhileTheLockIsHeld() {
    now.addAndGet(TTL.toMillis() - 1);
    store.lock.lock();
    List<Future<Boolean>> answers = new ArrayList<>();
    for (long lease : leases) answers.add(callers.submit(() -> store.keepAlive(lease)));
    await().atMost(Duration.ofSeconds(30)).until(() -> store.lock.getQueueLength() == NODES);
    return answers;
  }

  @Test
  void aRenewalThatArrivedInTimeKeepsItsLeaseThoughItIsWrittenAfterTheTtl() throws Exception {
    List<Future<Boolean>> answers = renewWhileTheLockIsHeld();
    try {
      now.addAndGet(60_000); // the slow write takes a minute: every lease is past its old end
      store.reapExpiredLeases(); // and the reaper runs first (the lock is reentrant: this thread holds it)
    } finally {
      store.lock.unlock();
    }

    for (Future<Boolean> a : answers) assertThat(a.get()).as("the lease was alive when its renewal arrived").isTrue();
    for (int i = 0; i < NODES; i++) assertThat(store.get("/berth/health/n" + i)).as("n" + i).isPresent();
    now.addAndGet(TTL.toMillis() - 60_000 - 2); // still within the TTL from each renewal's arrival
    store.reapExpiredLeases();
    assertThat(store.range("/berth/health/", 0).items()).hasSize(NODES);
    now.addAndGet(2); // a TTL after the renewals arrived, with none since
    store.reapExpiredLeases();
    assertThat(store.range("/berth/health/", 0).items()).isEmpty();
  }

  @Test
  void renewalsWaitingTogetherAreWrittenInOneTransaction() throws Exception {
    long before = store.commits();
    List<Future<Boolean>> answers = renewWhileTheLockIsHeld();
    store.lock.unlock();

    for (Future<Boolean> a : answers) assertThat(a.get()).isTrue();
    assertThat(store.commits() - before).isEqualTo(1);
  }

  @Test
  void whenTheWriteFailsEveryWaitingRenewalIsToldWhyAndNoneWaitsOn() {
    List<Future<Boolean>> answers = renewWhileTheLockIsHeld();
    try {
      store.close(); // the write of the renewals fails
    } finally {
      store.lock.unlock();
    }

    for (Future<Boolean> a : answers) {
      assertThatThrownBy(a::get).hasCauseInstanceOf(StoreException.class).cause().hasMessageContaining("is closed");
    }
  }

  @Test
  void aRenewalThatArrivesAfterItsLeaseEndedDoesNotReviveIt() {
    now.addAndGet(TTL.toMillis());

    assertThat(store.keepAlive(leases.getFirst())).isFalse();
    store.reapExpiredLeases();
    assertThat(store.get("/berth/health/n0")).isEmpty();
  }

  @Test
  void aRenewalArrivingEarlierThanOneAlreadyWrittenNeverShortensTheLease() {
    long lease = leases.getFirst();
    now.addAndGet(10_000);
    assertThat(store.keepAlive(lease)).isTrue(); // now ends at +100 s
    now.addAndGet(-5_000); // a renewal stamped earlier, written later (a clock step back plays it here)
    assertThat(store.keepAlive(lease)).isTrue();

    now.addAndGet(5_000 + TTL.toMillis() - 1);
    store.reapExpiredLeases();
    assertThat(store.get("/berth/health/n0")).isPresent();
  }
}

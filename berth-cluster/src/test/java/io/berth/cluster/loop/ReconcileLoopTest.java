package io.berth.cluster.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop on a fake clock: time moves only when a test moves it, once the loop is seen waiting. */
class ReconcileLoopTest {
  private final FakeLoopTime time = new FakeLoopTime();
  private final AtomicInteger passes = new AtomicInteger();
  private ReconcileLoop loop;

  @AfterEach
  void stop() {
    if (loop != null) loop.stop();
  }

  private ReconcileLoop.Builder loop(String name) {
    return ReconcileLoop.named(name).every(Duration.ofSeconds(5)).time(time);
  }

  @Test
  void signalsDuringAPassCauseExactlyOneMorePass() throws Exception {
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop = loop("coalesce").build(() -> {
      if (passes.incrementAndGet() == 1) {
        inPass.countDown();
        await(release);
      }
    }).start();
    loop.signal();
    assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 100; i++) loop.signal();
    release.countDown();
    eventually(() -> passes.get() == 2);
    time.untilParkedFor(Duration.ofSeconds(5)); // back to waiting a whole period, no pass owed
    assertThat(passes).hasValue(2);
  }

  @Test
  void withoutSignalsAPassComesEveryPeriod() {
    loop = loop("period").build(passes::incrementAndGet).start();
    time.untilParkedFor(Duration.ofSeconds(5));
    time.advance(Duration.ofMillis(4999));
    time.untilParkedFor(Duration.ofMillis(1));
    assertThat(passes).hasValue(0);
    time.advance(Duration.ofMillis(1));
    eventually(() -> passes.get() == 1);
    time.untilParkedFor(Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(5));
    eventually(() -> passes.get() == 2);
  }

  @Test
  void aPacedPassSetsTheNextWait() {
    loop = loop("paced").buildPaced(() -> {
      passes.incrementAndGet();
      return Duration.ofMillis(500);
    }).start();
    loop.signal();
    eventually(() -> passes.get() == 1);
    time.untilParkedFor(Duration.ofMillis(500));
    time.advance(Duration.ofMillis(500));
    eventually(() -> passes.get() == 2);
  }

  @Test
  void aFailingPassIsLoggedOncePerStreakAndRetriedWithCappedBackoff() {
    AtomicBoolean failing = new AtomicBoolean(true);
    List<Exception> logged = new CopyOnWriteArrayList<>();
    loop = loop("backoff").backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)).onFailure(logged::add).build(() -> {
      passes.incrementAndGet();
      if (failing.get()) throw new IllegalStateException("store gone");
    }).start();
    loop.signal();
    eventually(() -> passes.get() == 1);
    long[] waits = {1, 2, 4, 4};
    for (int n = 0; n < waits.length; n++) {
      int before = passes.get();
      time.untilParkedFor(Duration.ofSeconds(waits[n]));
      loop.signal(); // a signal does not cut a back-off short
      time.untilParkedFor(Duration.ofSeconds(waits[n]));
      assertThat(passes).hasValue(before);
      time.advance(Duration.ofSeconds(waits[n]));
      eventually(() -> passes.get() == before + 1);
    }
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0)).hasMessage("store gone");
    failing.set(false);
    time.untilParkedFor(Duration.ofSeconds(4));
    time.advance(Duration.ofSeconds(4));
    eventually(() -> passes.get() == 6);
    time.untilParkedFor(Duration.ofSeconds(5)); // recovered: the period again
    failing.set(true);
    loop.signal();
    eventually(() -> passes.get() == 7);
    time.untilParkedFor(Duration.ofSeconds(1)); // a new streak starts from the first back-off
    assertThat(logged).hasSize(2);
  }

  @Test
  void aDelayedSignalWakesTheLoopWhenDueAndASignalBeforeStartCounts() {
    loop = loop("later").build(passes::incrementAndGet);
    loop.signal();
    loop.start();
    eventually(() -> passes.get() == 1);
    loop.signalIn(Duration.ofSeconds(2));
    loop.signalIn(Duration.ofMillis(300));
    time.untilParkedFor(Duration.ofMillis(300));
    time.advance(Duration.ofMillis(300));
    eventually(() -> passes.get() == 2);
    time.untilParkedFor(Duration.ofMillis(1700)); // the later one still stands
    time.advance(Duration.ofMillis(1700));
    eventually(() -> passes.get() == 3);
    time.untilParkedFor(Duration.ofSeconds(5));
    assertThat(passes).hasValue(3);
  }

  @Test
  void aClosedGateSkipsPassesUntilItOpens() {
    AtomicBoolean open = new AtomicBoolean(false);
    loop = loop("gate").gate(open::get).build(passes::incrementAndGet).start();
    loop.signal();
    time.untilParkedFor(Duration.ofSeconds(5)); // the signal was taken, the pass skipped
    assertThat(passes).hasValue(0);
    open.set(true);
    loop.signal();
    eventually(() -> passes.get() == 1);
  }

  @Test
  void stopEndsThePassInProgressAndNoPassStartsAfter() throws Exception {
    CountDownLatch inPass = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    loop = loop("stop").build(() -> {
      passes.incrementAndGet();
      inPass.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    }).start();
    loop.signal();
    assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
    loop.stop();
    assertThat(interrupted).isTrue();
    loop.signal();
    time.advance(Duration.ofHours(1));
    Thread.sleep(5);
    assertThat(passes).hasValue(1);
  }

  @Test
  void aLoopStoppedBeforeItStartedNeverPasses() throws Exception {
    loop = loop("unstarted").build(passes::incrementAndGet);
    loop.signal();
    loop.stop();
    loop.start();
    Thread.sleep(5);
    assertThat(passes).hasValue(0);
  }

  @Test
  void passesRunOnOneThreadNamedForTheLoopAndKeepTheirGap() {
    List<String> threads = new CopyOnWriteArrayList<>();
    loop = loop("lrp-converger").minGap(Duration.ofMillis(50)).build(() -> {
      threads.add(Thread.currentThread().getName());
      passes.incrementAndGet();
    }).start();
    loop.signal();
    eventually(() -> passes.get() == 1);
    loop.signal();
    time.untilParkedFor(Duration.ofMillis(50));
    time.advance(Duration.ofMillis(50));
    eventually(() -> passes.get() == 2);
    assertThat(threads).containsOnly("lrp-converger");
    assertThat(loop.name()).isEqualTo("lrp-converger");
  }

  @Test
  void aBurstIsGatheredIntoOnePass() {
    loop = loop("gather").gather(Duration.ofMillis(20)).build(passes::incrementAndGet).start();
    loop.signal();
    time.untilParkedFor(Duration.ofMillis(20));
    loop.signal();
    time.advance(Duration.ofMillis(20));
    eventually(() -> passes.get() == 1);
    time.untilParkedFor(Duration.ofSeconds(5));
    assertThat(passes).hasValue(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls for a condition the loop's thread brings about; real time only bounds a broken test. */
  private static void eventually(BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within 5 s");
      Thread.onSpinWait();
    }
  }
}

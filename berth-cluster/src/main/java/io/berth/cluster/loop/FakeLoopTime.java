package io.berth.cluster.loop;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A {@link LoopTime} that moves only when told, for tests of loops: a test waits until the loop
 * is seen waiting ({@link #untilParkedFor}), then moves the clock ({@link #advance}). The loop's
 * waits poll this clock every millisecond of real time.
 */
public final class FakeLoopTime implements LoopTime {
  private volatile long now = 1_000_000_000L;
  private volatile long parkedUntil = -1;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void await(Condition condition, long nanos) throws InterruptedException {
    parkedUntil = now + nanos;
    condition.await(1, TimeUnit.MILLISECONDS);
  }

  public void advance(Duration d) {
    parkedUntil = -1;
    now += d.toNanos();
  }

  /** Returns once the loop waits for exactly {@code d} from now; fails after 5 s of real time. */
  public void untilParkedFor(Duration d) {
    long want = now + d.toNanos();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (parkedUntil != want) {
      if (System.nanoTime() > end) throw new AssertionError("the loop did not wait " + d + " within 5 s");
      Thread.onSpinWait();
    }
  }
}

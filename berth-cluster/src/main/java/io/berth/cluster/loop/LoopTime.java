package io.berth.cluster.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The clock and the waits of a {@link ReconcileLoop}, behind one interface so that its tests run on
 * a fake clock (Caffeine's Ticker, with the wait beside it because a wait is measured on the same
 * clock).
 */
public interface LoopTime {
  /** The system's monotonic clock and a real timed wait. */
  LoopTime SYSTEM = new LoopTime() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void await(Condition condition, long nanos) throws InterruptedException {
      condition.await(nanos, TimeUnit.NANOSECONDS);
    }
  };

  long nanoTime();

  /**
   * Waits on {@code condition}, whose lock the caller holds, for at most {@code nanos} of this
   * clock. May return early (a signal, or spuriously): the loop checks its state and clock again.
   */
  void await(Condition condition, long nanos) throws InterruptedException;
}

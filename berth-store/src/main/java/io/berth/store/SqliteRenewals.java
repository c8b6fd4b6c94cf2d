package io.berth.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * Lease renewals on their way to the SQLite file (group commit). A renewal is stamped with the
 * moment it reached the store, before it waits for the write lock; whoever holds the lock next
 * takes every waiting renewal and writes them all in one transaction, each judged at its own
 * arrival. So thousands of heartbeats that arrive together cost one write, and a heartbeat that
 * came in time keeps its lease however long it then waited (10,000 hollow nodes once queued
 * 4,376 renewals on the lock, and leases of live nodes expired behind them).
 *
 * <p>Invariant: the reaper takes the waiting renewals and reads its clock in one step
 * ({@link #takeAll}), then writes them before it judges any lease. A renewal it did not take was
 * stamped at or after the reaper's clock, so it can never be the one a reap overlooked.
 */
final class SqliteRenewals {
  private final LongSupplier millis;
  private List<Renewal> waiting = new ArrayList<>(); // guarded by this

  SqliteRenewals(LongSupplier millis) {
    this.millis = millis;
  }

  /** One keep-alive: its lease, when it reached the store (ms), and its answer once written. */
  static final class Renewal {
    final long lease;
    final long arrivedMs;
    private final CompletableFuture<Boolean> answer = new CompletableFuture<>();

    private Renewal(long lease, long arrivedMs) {
      this.lease = lease;
      this.arrivedMs = arrivedMs;
    }

    boolean written() {
      return answer.isDone();
    }

    void answer(boolean alive) {
      answer.complete(alive);
    }

    void fail(RuntimeException e) {
      answer.completeExceptionally(e);
    }

    /** Whether the lease was alive at arrival (and is now renewed from then); the write's failure if it failed. */
    boolean alive() {
      try {
        return answer.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        throw e;
      }
    }
  }

  /** The renewals taken, and the clock read in the same step. */
  record Due(List<Renewal> renewals, long nowMs) {}

  /** Stamps a renewal of {@code lease} with the time now and queues it. */
  synchronized Renewal arrive(long lease) {
    Renewal r = new Renewal(lease, millis.getAsLong());
    waiting.add(r);
    return r;
  }

  /** Takes every waiting renewal; every one left behind or added later arrived at or after {@code nowMs}. */
  synchronized Due takeAll() {
    List<Renewal> due = waiting;
    waiting = new ArrayList<>();
    return new Due(due, millis.getAsLong());
  }
}

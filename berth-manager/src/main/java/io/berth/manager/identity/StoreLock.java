package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A lock every manager sharing the store honours: a key created on a short lease that is kept alive, so
 * a slow holder keeps it and a manager that dies holding it frees it when the lease ends. Within one
 * manager the callers queue on a local lock first, so only one of them polls the store. It lives in
 * {@code identity}, the lowest package that needs it, and the Docker endpoint's create lock builds on it too.
 *
 * <p>One lease serves every take while the lock is in use (etcd's concurrency sessions do the same): a take
 * is one create and one compare-and-delete, not also a grant and a revoke. A keeper renews the lease every
 * {@code hold / 3} and lets it go after {@link #IDLE} without a take; a release the store did not confirm
 * revokes the lease, so a key left behind can live no longer than {@code hold}.
 */
public final class StoreLock {
  static final Duration IDLE = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(5);
  private final StateStore store;
  private final String key;
  private final byte[] holder;
  private final Duration hold;
  private final Duration wait;
  private final String what;
  private final ReentrantLock local = new ReentrantLock();
  /** The lease takes go on, or NONE; guarded by {@link #local}. */
  private long lease = StateStore.Lease.NONE;
  private volatile long lastTakeNanos;

  /**
   * @param key the lock's key; {@code holder} its value, naming who holds it in the message of one who waited too long
   * @param hold the lease: how soon a holder that died lets it go; {@code wait} how long another waits before a 503
   * @param what the lock as that message names it: {@code create lock}
   */
  public StoreLock(StateStore store, String key, String holder, Duration hold, Duration wait, String what) {
    this.store = store;
    this.key = key;
    this.holder = holder.getBytes(StandardCharsets.UTF_8);
    this.hold = hold;
    this.wait = wait;
    this.what = what;
  }

  /** Runs {@code work} holding the lock; a 503 when another holder keeps it past the wait. */
  public <T> T holding(Supplier<T> work) {
    local.lock();
    try {
      lastTakeNanos = System.nanoTime();
      long revision = acquire();
      try {
        return work.get();
      } finally {
        release(revision);
      }
    } finally {
      local.unlock();
    }
  }

  private long acquire() {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<Long> created;
      try {
        created = store.compareAndPut(key, holder, 0, lease());
      } catch (StoreException e) {
        lease = StateStore.Lease.NONE; // the lease lapsed (the store was away longer than hold): take a fresh one
        created = store.compareAndPut(key, holder, 0, lease());
      }
      if (created.isPresent()) return created.get();
      if (System.nanoTime() > deadline) {
        String by = store.get(key).map(KeyValue::text).orElse("?");
        throw new BerthException.Unavailable("another manager (" + by + ") has held the " + what + " for " + wait.toSeconds() + " s; try again");
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private void release(long revision) {
    try {
      store.compareAndDelete(key, revision);
    } catch (RuntimeException e) {
      dropLease(); // the key may still be there: it must not outlive hold on a lease we keep alive, and it will not
    }
  }

  /** The lease for a take, granted with its keeper when there is none. Holding {@link #local}. */
  private long lease() {
    if (lease == StateStore.Lease.NONE) {
      long granted = store.grantLease(hold);
      lease = granted;
      Thread.ofVirtual().name("store-lock-keeper").start(() -> keep(granted));
    }
    return lease;
  }

  /** Renews {@code granted} while it is this lock's lease and in use; ends when it is replaced, lost or idle. */
  private void keep(long granted) {
    long every = Math.max(50, hold.toMillis() / 3);
    while (true) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      if (System.nanoTime() - lastTakeNanos > IDLE.toNanos() && local.tryLock()) {
        try {
          if (lease == granted) dropLease();
          return;
        } finally {
          local.unlock();
        }
      }
      try {
        if (store.keepAlive(granted)) continue;
      } catch (RuntimeException e) {
        // the store is away: the lease lapses and another holder may come in, as for a holder that died
      }
      forget(granted);
      return;
    }
  }

  private void forget(long granted) {
    local.lock();
    try {
      if (lease == granted) lease = StateStore.Lease.NONE;
    } finally {
      local.unlock();
    }
  }

  /** Revokes the lease (deleting any key on it) and forgets it. Holding {@link #local}. */
  private void dropLease() {
    long old = lease;
    lease = StateStore.Lease.NONE;
    if (old == StateStore.Lease.NONE) return;
    try {
      store.revoke(old);
    } catch (RuntimeException e) {
      // the store is away: the lease ends by itself within hold, as nobody renews it now
    }
  }
}

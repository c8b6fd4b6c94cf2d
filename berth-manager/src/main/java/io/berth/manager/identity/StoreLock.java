package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A lock every manager sharing the store honours: a key created on a short lease, kept alive while the
 * work runs, so a slow holder keeps it and a manager that dies holding it frees it when the lease ends. Within one manager the callers queue on a local lock
 * first, so only one of them polls the store. It lives in {@code identity}, the lowest package that
 * needs it, and the Docker endpoint's create lock builds on it too.
 */
public final class StoreLock {
  private static final Duration POLL = Duration.ofMillis(5);
  private final StateStore store;
  private final String key;
  private final String holder;
  private final Duration hold;
  private final Duration wait;
  private final String what;
  private final ReentrantLock local = new ReentrantLock();

  /**
   * @param key the lock's key; {@code holder} its value, naming who holds it in the message of one who waited too long
   * @param hold the lease: how soon a holder that died lets it go; {@code wait} how long another waits before a 503
   * @param what the lock as that message names it: {@code create lock}
   */
  public StoreLock(StateStore store, String key, String holder, Duration hold, Duration wait, String what) {
    this.store = store;
    this.key = key;
    this.holder = holder;
    this.hold = hold;
    this.wait = wait;
    this.what = what;
  }

  /** Runs {@code work} holding the lock; a 503 when another holder keeps it past the wait. */
  public <T> T holding(Supplier<T> work) {
    local.lock();
    try {
      long lease = store.grantLease(hold);
      Thread renewer = null;
      try {
        acquire(lease);
        renewer = Thread.ofVirtual().name("store-lock-renew").start(() -> renew(lease));
        return work.get();
      } finally {
        if (renewer != null) renewer.interrupt();
        store.revoke(lease); // deletes the key only while it is still ours
      }
    } finally {
      local.unlock();
    }
  }

  /** Keeps the lease while the work runs: a slow holder keeps the lock, and one that dies frees it within {@code hold}. */
  private void renew(long lease) {
    long every = Math.max(50, hold.toMillis() / 3);
    while (true) {
      try {
        Thread.sleep(every);
        if (!store.keepAlive(lease)) return;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        return; // the store is away: the lease lapses and another holder may come in, as for a holder that died
      }
    }
  }

  private void acquire(long lease) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!store.create(key, holder.getBytes(StandardCharsets.UTF_8), lease)) {
      if (System.nanoTime() > deadline) {
        String by = store.get(key).map(KeyValue::text).orElse("?");
        throw new BerthException.Unavailable("another manager (" + by + ") has held the " + what + " for " + wait.toSeconds() + " s; try again");
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }
}

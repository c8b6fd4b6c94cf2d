package io.berth.manager.identity;

import io.berth.store.Fence;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A store whose reads under one prefix wait (up to a bound) for a second reader, so a race test makes two
 * check-then-write callers read before either writes, the interleaving a lock must prevent.
 */
public final class StallingStore implements StateStore {
  private final StateStore store;
  private final String prefix;
  private final Duration bound;
  private volatile CyclicBarrier barrier = new CyclicBarrier(2);

  public StallingStore(StateStore store, String prefix, Duration bound) {
    this.store = store;
    this.prefix = prefix;
    this.bound = bound;
  }

  private void stall(String key) {
    if (!key.startsWith(prefix)) return;
    try {
      barrier.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | BrokenBarrierException e) {
      barrier = new CyclicBarrier(2); // alone: a lock kept the other out, as it should
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public Optional<KeyValue> get(String key) {
    stall(key);
    return store.get(key);
  }

  @Override public Page range(String p, int limit) {
    stall(p);
    return store.range(p, limit);
  }

  @Override public long put(String key, byte[] value, long lease) {
    return store.put(key, value, lease);
  }

  @Override public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return store.compareAndPut(key, value, expectedModRevision, lease);
  }

  @Override public boolean delete(String key) {
    return store.delete(key);
  }

  @Override public boolean compareAndDelete(String key, long expectedModRevision) {
    return store.compareAndDelete(key, expectedModRevision);
  }

  @Override public StateStore fenced(Fence fence) {
    return store.fenced(fence);
  }

  @Override public long grantLease(Duration ttl) {
    return store.grantLease(ttl);
  }

  @Override public boolean keepAlive(long lease) {
    return store.keepAlive(lease);
  }

  @Override public void revoke(long lease) {
    store.revoke(lease);
  }

  @Override public Watch watch(String p, long fromRevision, Consumer<WatchEvent> consumer) {
    return store.watch(p, fromRevision, consumer);
  }

  @Override public long revision() {
    return store.revision();
  }

  @Override public void close() {
    store.close();
  }
}

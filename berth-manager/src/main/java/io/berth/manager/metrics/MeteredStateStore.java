package io.berth.manager.metrics;

import io.berth.store.Fence;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.StoreHealth;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link StateStore} that counts and times every operation of the one beneath
 * ({@code berth_store_operations_total{op,outcome}}); it changes nothing else, and closing it
 * leaves the store open (its opener owns it).
 */
public final class MeteredStateStore implements StateStore {
  private final StateStore store;

  public MeteredStateStore(StateStore store) {
    this.store = store;
  }

  /** The store beneath. */
  public StateStore unwrap() {
    return store;
  }

  private <T> T op(String op, Supplier<T> call, Predicate<T> conflict) {
    long t0 = System.nanoTime();
    String outcome = "failed";
    try {
      T r = call.get();
      outcome = conflict != null && conflict.test(r) ? "conflict" : "ok";
      return r;
    } finally {
      BerthMetrics.STORE_OPERATIONS.inc(op, outcome);
      BerthMetrics.STORE_DURATION.observe((System.nanoTime() - t0) / 1e9, op);
    }
  }

  private <T> T op(String op, Supplier<T> call) {
    return op(op, call, null);
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return op("get", () -> store.get(key));
  }

  @Override
  public Page range(String prefix, int limit) {
    return op("range", () -> store.range(prefix, limit));
  }

  @Override
  public Page snapshot(String prefix) {
    return op("snapshot", () -> store.snapshot(prefix));
  }

  @Override
  public long put(String key, byte[] value) {
    return op("put", () -> store.put(key, value));
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    return op("put", () -> store.put(key, value, lease));
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return op("compare_and_put", () -> store.compareAndPut(key, value, expectedModRevision, lease), Optional::isEmpty);
  }

  @Override
  public boolean create(String key, byte[] value, long lease) {
    return op("create", () -> store.create(key, value, lease), created -> !created);
  }

  /** One operation however many entries: its outcome is a conflict when any entry's condition failed. */
  @Override
  public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    return op("compare_and_put_each", () -> store.compareAndPutEach(entries), out -> out.stream().anyMatch(Optional::isEmpty));
  }

  @Override
  public boolean delete(String key) {
    return op("delete", () -> store.delete(key));
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return op("compare_and_delete", () -> store.compareAndDelete(key, expectedModRevision), deleted -> !deleted);
  }

  @Override
  public long grantLease(Duration ttl) {
    return op("grant_lease", () -> store.grantLease(ttl));
  }

  @Override
  public boolean keepAlive(long lease) {
    return op("keep_alive", () -> store.keepAlive(lease));
  }

  @Override
  public void revoke(long lease) {
    op("revoke", () -> {
      store.revoke(lease);
      return null;
    });
  }

  @Override
  public Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    return op("watch", () -> store.watch(prefix, fromRevision, consumer));
  }

  @Override
  public long revision() {
    return store.revision();
  }

  @Override
  public void close() {
    // the opener closes the store
  }

  /** The store beneath's fenced view, counted as well. */
  @Override
  public StateStore fenced(Fence fence) {
    return new MeteredStateStore(store.fenced(fence));
  }

  @Override
  public StoreHealth health() {
    return store.health();
  }
}

package io.berth.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A view of a store whose writes go through {@link #writes()} (which may refuse them) and whose
 * reads, watches and leases go straight to the store beneath; closing the view leaves it open.
 */
public abstract class WriteRoutingStore implements StateStore {
  protected final StateStore store;

  protected WriteRoutingStore(StateStore store) {
    this.store = store;
  }

  /** The store this write goes to, or a {@link StoreException} saying why it may not be made. */
  protected abstract StateStore writes();

  @Override
  public Optional<KeyValue> get(String key) {
    return store.get(key);
  }

  @Override
  public Page range(String prefix, int limit) {
    return store.range(prefix, limit);
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    return writes().put(key, value, lease);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return writes().compareAndPut(key, value, expectedModRevision, lease);
  }

  @Override
  public boolean delete(String key) {
    return writes().delete(key);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return writes().compareAndDelete(key, expectedModRevision);
  }

  @Override
  public long grantLease(Duration ttl) {
    return store.grantLease(ttl);
  }

  @Override
  public boolean keepAlive(long lease) {
    return store.keepAlive(lease);
  }

  @Override
  public void revoke(long lease) {
    store.revoke(lease);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    return store.watch(prefix, fromRevision, consumer);
  }

  @Override
  public long revision() {
    return store.revision();
  }

  @Override
  public StateStore fenced(Fence fence) {
    return store.fenced(fence);
  }

  @Override
  public StoreHealth health() {
    return store.health();
  }

  /** Closing a view leaves the store open. */
  @Override
  public void close() {}
}

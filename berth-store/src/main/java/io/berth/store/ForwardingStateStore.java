package io.berth.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A view of a store that passes reads, watches, leases and health straight to the store beneath and
 * leaves its writes to the subclass; closing the view leaves the store open.
 */
public abstract class ForwardingStateStore implements StateStore {
  protected final StateStore store;

  protected ForwardingStateStore(StateStore store) {
    this.store = store;
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return store.get(key);
  }

  @Override
  public Page range(String prefix, int limit) {
    return store.range(prefix, limit);
  }

  @Override
  public Page snapshot(String prefix) {
    return store.snapshot(prefix);
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
  public StoreHealth health() {
    return store.health();
  }

  /** Closing a view leaves the store open. */
  @Override
  public void close() {}
}

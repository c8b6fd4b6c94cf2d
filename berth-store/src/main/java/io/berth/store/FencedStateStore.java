package io.berth.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The view {@link StateStore#fenced} returns: writes go to the store's fenced forms with the
 * fence, everything else to the store itself. The store does the checking, inside its own write
 * transaction; this class only carries the fence.
 */
final class FencedStateStore implements StateStore {

  /** A store's writes with a fence that must hold in the same transaction ({@code null}: none). */
  interface Writes {
    long put(String key, byte[] value, long lease, Fence fence);

    Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease, Fence fence);

    boolean delete(String key, Fence fence);

    boolean compareAndDelete(String key, long expectedModRevision, Fence fence);
  }

  private final StateStore store;
  private final Writes writes;
  private final Fence fence;

  FencedStateStore(StateStore store, Writes writes, Fence fence) {
    this.store = store;
    this.writes = writes;
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /** A fenced view of {@code store}, which checks fences in its own writes. */
  static <S extends StateStore & Writes> StateStore of(S store, Fence fence) {
    return new FencedStateStore(store, store, fence);
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
  public long put(String key, byte[] value, long lease) {
    return writes.put(key, value, lease, fence);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return writes.compareAndPut(key, value, expectedModRevision, lease, fence);
  }

  @Override
  public boolean delete(String key) {
    return writes.delete(key, fence);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return writes.compareAndDelete(key, expectedModRevision, fence);
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

  /** A view of the same store under another fence (a later term), not a fence on top of this one. */
  @Override
  public StateStore fenced(Fence other) {
    return new FencedStateStore(store, writes, other);
  }

  @Override
  public StoreHealth health() {
    return store.health();
  }

  /** The store belongs to whoever opened it. */
  @Override
  public void close() {}
}

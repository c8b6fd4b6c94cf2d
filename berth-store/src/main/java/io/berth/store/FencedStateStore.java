package io.berth.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The view {@link StateStore#fenced} returns: writes go to the store's fenced forms with the
 * fence, everything else to the store itself. The store does the checking, inside its own write
 * transaction; this class only carries the fence.
 */
final class FencedStateStore extends ForwardingStateStore {

  /** A store's writes with a fence that must hold in the same transaction ({@code null}: none). */
  interface Writes {
    long put(String key, byte[] value, long lease, Fence fence);

    Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease, Fence fence);

    boolean delete(String key, Fence fence);

    boolean compareAndDelete(String key, long expectedModRevision, Fence fence);

    /** {@link StateStore#compareAndPutEach}, fenced: this default writes one entry at a time, each fenced. */
    default List<Optional<Long>> compareAndPutEach(List<StateStore.ConditionalPuts> entries, Fence fence) {
      return StateStore.ConditionalPuts.writeEach(entries, (k, v, rev) -> compareAndPut(k, v, rev, StateStore.Lease.NONE, fence),
          (k, v) -> put(k, v, StateStore.Lease.NONE, fence));
    }
  }

  private final Writes writes;
  private final Fence fence;

  FencedStateStore(StateStore store, Writes writes, Fence fence) {
    super(store);
    this.writes = writes;
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /** A fenced view of {@code store}, which checks fences in its own writes. */
  static <S extends StateStore & Writes> StateStore of(S store, Fence fence) {
    return new FencedStateStore(store, store, fence);
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
  public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    return writes.compareAndPutEach(entries, fence);
  }

  @Override
  public boolean delete(String key) {
    return writes.delete(key, fence);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return writes.compareAndDelete(key, expectedModRevision, fence);
  }

  /** A view of the same store under another fence (a later term), not a fence on top of this one. */
  @Override
  public StateStore fenced(Fence other) {
    return new FencedStateStore(store, writes, other);
  }
}

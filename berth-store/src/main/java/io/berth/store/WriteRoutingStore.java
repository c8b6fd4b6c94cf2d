package io.berth.store;

import java.util.List;
import java.util.Optional;

/**
 * A view of a store whose writes go through {@link #writes()} (which may refuse them) and whose
 * reads, watches and leases go straight to the store beneath; closing the view leaves it open.
 */
public abstract class WriteRoutingStore extends ForwardingStateStore {
  protected WriteRoutingStore(StateStore store) {
    super(store);
  }

  /** The store this write goes to, or a {@link StoreException} saying why it may not be made. */
  protected abstract StateStore writes();

  @Override
  public long put(String key, byte[] value, long lease) {
    return writes().put(key, value, lease);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return writes().compareAndPut(key, value, expectedModRevision, lease);
  }

  @Override
  public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    return writes().compareAndPutEach(entries);
  }

  @Override
  public boolean delete(String key) {
    return writes().delete(key);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return writes().compareAndDelete(key, expectedModRevision);
  }

  /**
   * Refused: a view of the store beneath under {@code fence} would skip {@link #writes()}, and so whatever
   * it checks (the leader's store: the term), and the stores hold one fence per write, not two.
   */
  @Override
  public StateStore fenced(Fence fence) {
    throw new UnsupportedOperationException("a write-routing view takes no second fence: its writes already go through its own check");
  }
}

package io.berth.store;

/**
 * The simplest {@link StateStore#fenced} view: every write first reads the fence key and refuses
 * when it is gone or was created again. NOT atomic — a term may end between the check and the
 * write; a store that can (etcd) overrides {@code fenced} with one transaction comparing the key's
 * create revision. Reads, watches and leases pass through unchecked.
 */
final class FenceCheckingStore extends WriteRoutingStore {
  private final Fence fence;

  FenceCheckingStore(StateStore store, Fence fence) {
    super(store);
    this.fence = fence;
  }

  @Override
  protected StateStore writes() {
    long created = store.get(fence.key()).map(KeyValue::createRevision).orElse(0L);
    if (created != fence.createRevision()) {
      throw new FencedOutException("fenced out: " + fence.key() + " is no longer at create revision " + fence.createRevision()
          + " (the term this write belongs to has ended)");
    }
    return store;
  }
}

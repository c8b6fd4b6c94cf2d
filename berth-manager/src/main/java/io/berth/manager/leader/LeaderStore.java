package io.berth.manager.leader;

import io.berth.store.Fence;
import io.berth.store.FencedOutException;
import io.berth.store.StateStore;
import io.berth.store.WriteRoutingStore;

/**
 * The store as the leader's singletons see it: reads and watches pass through; every write goes
 * through the store's view fenced on the current term, and throws {@link FencedOutException} when
 * this manager does not lead — so a deposed leader's pass in flight cannot change anything.
 */
final class LeaderStore extends WriteRoutingStore {
  private final Leadership leadership;

  LeaderStore(StateStore store, Leadership leadership) {
    super(store);
    this.leadership = leadership;
  }

  @Override
  protected StateStore writes() {
    Fence term = leadership.term().orElseThrow(() -> new FencedOutException(
        "manager " + leadership.name() + " does not lead: only the leader's singletons write"));
    return store.fenced(term);
  }
}

package io.berth.manager.leader;

import io.berth.cluster.loop.Gate;
import io.berth.store.StateStore;

/**
 * What a singleton (a loop only the leader runs) runs on: the gate its loop asks before each pass,
 * and the store its writes go through, fenced on the leader's term.
 */
public record Singletons(Gate gate, StateStore store) {

  /** Always open, writing to {@code store} unfenced: one process that is the only writer (tests, benchmarks). */
  public static Singletons always(StateStore store) {
    return new Singletons(Gate.OPEN, store);
  }

  /** Open while {@code leadership} leads; writes fenced on its term. */
  public static Singletons of(StateStore store, Leadership leadership) {
    return new Singletons(leadership, new LeaderStore(store, leadership));
  }
}

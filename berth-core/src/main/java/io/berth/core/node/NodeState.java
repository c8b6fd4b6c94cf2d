package io.berth.core.node;

import java.util.Locale;

/** Whether a node's agent is alive, as its lease in the store says. */
public enum NodeState {
  /** The agent heartbeats within the lease TTL. */
  READY,
  /** The lease expired: the agent or its machine is gone, or cut off. */
  DOWN;

  /** Lower-case word for tables and JSON. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return word();
  }
}

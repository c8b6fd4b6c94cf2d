package io.berth.core.lrp;

/** Diego's states of one instance slot. */
public enum ActualState {
  /** Wanted, not on a node yet (or its node was lost). */
  UNCLAIMED,
  /** Assigned to a node, which is creating its container or waiting for it to be healthy. */
  CLAIMED,
  /** Healthy on its node. */
  RUNNING,
  /** Its container ended or failed its checks; restarted on Diego's schedule. */
  CRASHED;

  @Override
  public String toString() {
    return name();
  }
}

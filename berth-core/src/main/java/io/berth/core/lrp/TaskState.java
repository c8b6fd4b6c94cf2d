package io.berth.core.lrp;

/** Diego's task states: a task runs at most once, then waits for its client to resolve it. */
public enum TaskState {
  PENDING, CLAIMED, RUNNING, COMPLETED, RESOLVING;

  @Override
  public String toString() {
    return name();
  }
}

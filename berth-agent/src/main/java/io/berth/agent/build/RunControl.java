package io.berth.agent.build;

/**
 * Stops one run: cancelled (its job left the node's list) or timed out, whichever comes first. The
 * step running now says how to stop what it runs ({@link #onStop}: kill the git process, remove the
 * container, interrupt the engine call), so a stop takes effect at once rather than at the step's end.
 */
final class RunControl {
  private String reason; // guarded by this; null while the run may go on
  private boolean cancelled; // guarded by this
  private Runnable kill; // guarded by this

  /** The job left the node's list. */
  void cancel() {
    stop(true, "cancelled");
  }

  /** The run's time is up. */
  void timeOut(int seconds) {
    stop(false, "timed out after " + Durations.words(seconds * 1000L));
  }

  private void stop(boolean cancel, String why) {
    Runnable k;
    synchronized (this) {
      if (reason != null) return;
      reason = why;
      cancelled = cancel;
      k = kill;
    }
    if (k != null) k.run();
  }

  /** How to stop what runs now (null: nothing); called at once when the run is already stopped. */
  void onStop(Runnable kill) {
    boolean now;
    synchronized (this) {
      this.kill = kill;
      now = reason != null && kill != null;
    }
    if (now) kill.run();
  }

  /** Throws when the run was stopped, so the next step never begins. */
  synchronized void check() throws StepFailed {
    if (reason != null) throw new StepFailed(reason);
  }

  /** Why the run was stopped, or null. */
  synchronized String reason() {
    return reason;
  }

  synchronized boolean cancelled() {
    return cancelled;
  }
}

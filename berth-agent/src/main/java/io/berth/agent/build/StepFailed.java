package io.berth.agent.build;

/** A step of a run failed; the message is what the user reads (git's or docker's own words where they have them). */
final class StepFailed extends Exception {
  StepFailed(String message) {
    super(message);
  }
}

package io.berth.cli;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls the API until a condition holds, at the pace a person watching needs (Diego's own clients
 * poll at 500 ms too). Interruption, a Ctrl-C in a terminal or a test ending, stops it quietly.
 */
final class Watch {
  static final Duration EVERY = Duration.ofMillis(500);

  private Watch() {}

  /** Calls {@code step} until it returns true; false when interrupted first. */
  static boolean until(Supplier<Boolean> step) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (step.get()) return true;
        Thread.sleep(EVERY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) return false;
        throw e;
      }
    }
    return false;
  }
}

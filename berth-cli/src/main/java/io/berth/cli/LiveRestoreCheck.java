package io.berth.cli;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berth join}'s check that the engine keeps its containers through its own restarts (Docker's
 * {@code live-restore}): without it an engine upgrade stops every container on the node.
 */
final class LiveRestoreCheck {
  private static final Logger log = LoggerFactory.getLogger(JoinCommand.class);

  private LiveRestoreCheck() {}

  /** Logs one warning when the engine says live restore is off. */
  static void warn(Supplier<Optional<Boolean>> liveRestore, String engine) {
    warning(liveRestore, engine).ifPresent(log::warn);
  }

  static Optional<String> warning(Supplier<Optional<Boolean>> liveRestore, String engine) {
    try {
      if (liveRestore.get().orElse(true)) return Optional.empty();
    } catch (RuntimeException unreachable) {
      return Optional.empty(); // the agent's start says why the engine cannot be reached
    }
    return Optional.of("engine-live-restore-off engine=" + engine + ": the engine stops its containers when it restarts;"
        + " set \"live-restore\": true in /etc/docker/daemon.json (docs/operate.md)");
  }
}

package io.berth.engine;

import java.util.Map;

/**
 * A container event as the engine's {@code /events} reports it: {@code action} is Docker's word
 * (create, start, die, stop, kill, destroy, exec_die, ...), {@code labels} the container's labels
 * (with Docker's own attributes among them: name, image, exitCode), {@code exitCode} the main
 * process's status on a {@code die}, else -1.
 */
public record ContainerEvent(String action, String id, Map<String, String> labels, int exitCode, long timeNanos) {
  public ContainerEvent {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}

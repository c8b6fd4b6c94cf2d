package io.berth.engine;

import java.util.Map;

/**
 * A container event as the engine's {@code /events} reports it: {@code action} is Docker's word
 * (create, start, die, stop, kill, destroy, ...), {@code labels} the container's labels.
 */
public record ContainerEvent(String action, String id, Map<String, String> labels, long timeNanos) {
  public ContainerEvent {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}

package io.berth.core.scheduler;

import io.berth.core.id.NodeName;
import java.util.List;
import java.util.Optional;

/** The outcome of planning a batch: each request placed on a node, or the reason it fits nowhere. */
public record Plan(List<Placement> placed, List<Unplaced> unplaced) {
  public Plan {
    placed = List.copyOf(placed);
    unplaced = List.copyOf(unplaced);
  }

  /** Where the request went. */
  public record Placement(PlacementRequest request, NodeName node) {}

  /** Why the request fits nowhere: one line, what {@code docker run} prints. */
  public record Unplaced(PlacementRequest request, String reason) {}

  /** The node of a one-request plan, or empty with {@link #reason()} saying why. */
  public Optional<NodeName> node() {
    return placed.isEmpty() ? Optional.empty() : Optional.of(placed.get(0).node());
  }

  public String reason() {
    return unplaced.isEmpty() ? "" : unplaced.get(0).reason();
  }
}

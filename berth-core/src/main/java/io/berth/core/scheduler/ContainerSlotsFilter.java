package io.berth.core.scheduler;

import java.util.Optional;

/** Swarm's {@code containerslots} node label: at most that many containers on the node. */
final class ContainerSlotsFilter implements NodeFilter {
  @Override
  public String name() {
    return "containerslots";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    String slots = c.view.labels().get("containerslots");
    if (slots == null) return Optional.empty();
    try {
      int n = Integer.parseInt(slots.trim());
      return c.containers() >= n ? NodeFilter.veto("all " + n + " container slots used") : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty(); // a malformed label limits nothing, as in Swarm
    }
  }
}

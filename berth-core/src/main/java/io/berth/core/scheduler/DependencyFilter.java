package io.berth.core.scheduler;

import java.util.Optional;

/** Keeps a container beside the containers it links to or shares a namespace or volumes with. */
final class DependencyFilter implements NodeFilter {
  @Override
  public String name() {
    return "dependency";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    for (String d : r.dependsOn()) {
      if (!c.hasContainer(d)) return NodeFilter.veto("depends on " + d + ", which is not here");
    }
    return Optional.empty();
  }
}

package io.berth.core.scheduler;

import java.util.Optional;

/**
 * Keeps a container beside the containers it links to or shares a namespace or volumes with, and on the node
 * that holds the local networks it joins (as classic Swarm placed a container on its network's engine).
 */
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
    for (String n : r.networks()) {
      if (!c.view.networks().contains(n)) return NodeFilter.veto("joins network " + n + ", which is not here");
    }
    return Optional.empty();
  }
}

package io.berth.core.scheduler;

import java.util.Optional;

/** Swarm's {@code affinity:container==x}, {@code affinity:image==y} and container label affinities. */
final class AffinityFilter implements NodeFilter {
  @Override
  public String name() {
    return "affinity";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    for (Expr e : r.affinities()) {
      if (!e.soft() && !satisfied(e, c)) return NodeFilter.veto("affinity " + e + " not met");
    }
    return Optional.empty();
  }

  static boolean satisfied(Expr e, Candidate c) {
    return switch (e.key()) {
      case "container" -> e.plain() && e.equal() ? c.hasContainer(e.value()) : e.matchesAny(c.containerRefs());
      case "image" -> e.matchesAny(c.view.images());
      default -> e.matchesAny(c.labelValues(e.key()));
    };
  }
}

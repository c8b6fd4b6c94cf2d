package io.berth.core.scheduler;

import java.util.List;
import java.util.Optional;

/** Swarm's {@code constraint:key==value}: a node label, or {@code node} for its name or id. */
final class ConstraintFilter implements NodeFilter {
  @Override
  public String name() {
    return "constraint";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    for (Expr e : r.constraints()) {
      if (!e.soft() && !satisfied(e, c)) return NodeFilter.veto("constraint " + e + " not met");
    }
    return Optional.empty();
  }

  static boolean satisfied(Expr e, Candidate c) {
    if (e.key().equals("node")) return e.matchesAny(List.of(c.view.name().value(), c.view.id()));
    return e.matches(c.view.labels().get(e.key()));
  }
}

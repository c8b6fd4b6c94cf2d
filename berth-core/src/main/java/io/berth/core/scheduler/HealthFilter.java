package io.berth.core.scheduler;

import java.util.Optional;

/** Turns away nodes that are not ready. */
final class HealthFilter implements NodeFilter {
  @Override
  public String name() {
    return "health";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    return c.view.ready() ? Optional.empty() : NodeFilter.veto("node down");
  }
}

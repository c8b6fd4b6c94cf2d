package io.berth.core.scheduler;

import java.util.Comparator;

/** Swarm's default: the node with the fewest containers, then the least reserved, then the lower name. */
final class SpreadStrategy implements Strategy {
  private static final Comparator<Candidate> ORDER = Comparator.comparingInt(Candidate::containers)
      .thenComparingDouble(Strategy::fullness)
      .thenComparing(Candidate::name);

  @Override
  public String word() {
    return "spread";
  }

  @Override
  public Comparator<Candidate> order() {
    return ORDER;
  }

  @Override
  public String toString() {
    return word();
  }
}

package io.berth.core.scheduler;

import java.util.Comparator;

/** Swarm's default: the node with the fewest containers, then the least reserved, then the lower name. */
final class SpreadStrategy extends OrderedStrategy {
  SpreadStrategy() {
    super("spread", Comparator.comparingInt(Candidate::containers).thenComparingDouble(Strategy::fullness)
        .thenComparing(Candidate::name));
  }
}

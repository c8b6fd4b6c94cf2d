package io.berth.core.scheduler;

import java.util.Comparator;

/** The fullest node that still fits, then the lower name: fills nodes one by one. */
final class BinpackStrategy extends OrderedStrategy {
  BinpackStrategy() {
    super("binpack", Comparator.comparingDouble((Candidate c) -> -Strategy.fullness(c)).thenComparing(Candidate::name));
  }
}

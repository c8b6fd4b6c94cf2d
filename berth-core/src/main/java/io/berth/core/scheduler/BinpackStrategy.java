package io.berth.core.scheduler;

import java.util.Comparator;

/** The fullest node that still fits, then the lower name: fills nodes one by one. */
final class BinpackStrategy implements Strategy {
  private static final Comparator<Candidate> ORDER =
      Comparator.comparingDouble((Candidate c) -> -Strategy.fullness(c)).thenComparing(Candidate::name);

  @Override
  public String word() {
    return "binpack";
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

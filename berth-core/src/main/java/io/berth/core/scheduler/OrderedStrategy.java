package io.berth.core.scheduler;

import java.util.Comparator;

/** A strategy known by its word and its order of nodes, best first; {@code toString()} is the word. */
abstract class OrderedStrategy implements Strategy {
  private final String word;
  private final Comparator<Candidate> order;

  OrderedStrategy(String word, Comparator<Candidate> order) {
    this.word = word;
    this.order = order;
  }

  @Override
  public final String word() {
    return word;
  }

  @Override
  public final Comparator<Candidate> order() {
    return order;
  }

  @Override
  public final String toString() {
    return word;
  }
}

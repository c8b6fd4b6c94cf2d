package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How to choose among the nodes every filter accepted: Swarm's {@code spread} (the default: the
 * node with the fewest containers, then the least reserved), {@code binpack} (the fullest node
 * that still fits) and {@code random}. Ties go to the lower name, so plans are repeatable. A new
 * strategy is a class implementing this and one entry in {@link #ALL}.
 */
public interface Strategy {
  Strategy SPREAD = new SpreadStrategy();
  Strategy BINPACK = new BinpackStrategy();
  Strategy RANDOM = new RandomStrategy();

  /** Every strategy, by the names {@code berth manage --strategy} takes. */
  List<Strategy> ALL = List.of(SPREAD, BINPACK, RANDOM);

  /** The name {@code berth manage --strategy} takes and {@code docker info} shows. */
  String word();

  /**
   * Best first, ties by name; the scheduler walks the nodes in this order to the first that fits.
   * A strategy that {@link #samples()} still orders (its order is then unused).
   */
  Comparator<Candidate> order();

  /** True when the strategy picks among a sample of feasible nodes rather than walking them in order. */
  default boolean samples() {
    return false;
  }

  /** The chosen one of {@code fits} (not empty): by default the first best in {@link #order()}. */
  default Candidate choose(List<Candidate> fits, RandomGenerator random) {
    Comparator<Candidate> order = order();
    Candidate best = null;
    for (Candidate c : fits) {
      if (best == null || order.compare(c, best) < 0) best = c;
    }
    return best;
  }

  /** True when {@code a} is a better choice than {@code b}. */
  default boolean better(Candidate a, Candidate b) {
    return order().compare(a, b) < 0;
  }

  /** The strategy of that name; the message lists the choices. */
  static Strategy of(String name) {
    List<String> words = new ArrayList<>();
    for (Strategy s : ALL) {
      if (s.word().equals(name)) return s;
      words.add(s.word());
    }
    String last = words.remove(words.size() - 1);
    throw new IllegalArgumentException("unknown strategy '" + name + "': choose " + String.join(", ", words) + " or " + last);
  }

  /** Reserved share of the node's scarcer resource, from 0 (empty) to 1 (full). */
  static double fullness(Candidate c) {
    double mem = c.view.memoryBytes() > 0 ? (double) c.reservedMemory() / c.view.memoryBytes() : 0;
    double cpu = c.view.cpus() > 0 ? c.reservedCpus() / c.view.cpus() : 0;
    return Math.max(mem, cpu);
  }
}

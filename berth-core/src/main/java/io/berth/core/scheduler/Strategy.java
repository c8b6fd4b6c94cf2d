package io.berth.core.scheduler;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How to choose among the nodes every filter accepted: Swarm's {@code spread} (the default: the
 * node with the fewest containers, then the least reserved), {@code binpack} (the fullest node
 * that still fits) and {@code random}. Ties go to the lower name, so plans are repeatable.
 */
public enum Strategy {
  SPREAD, BINPACK, RANDOM;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The strategy of that name; the message lists the choices. */
  public static Strategy of(String name) {
    for (Strategy s : values()) {
      if (s.word().equals(name)) return s;
    }
    throw new IllegalArgumentException("unknown strategy '" + name + "': choose spread, binpack or random");
  }

  private static final Comparator<Candidate> BY_NAME = Comparator.comparing(Candidate::name);

  Candidate choose(List<Candidate> fits, RandomGenerator random) {
    return switch (this) {
      case SPREAD -> {
        Candidate best = null;
        for (Candidate c : fits) {
          if (best == null || spreadOrder(c, best) < 0) best = c;
        }
        yield best;
      }
      case BINPACK -> {
        Candidate best = null;
        for (Candidate c : fits) {
          if (best == null || fullness(c) > fullness(best) || (fullness(c) == fullness(best) && BY_NAME.compare(c, best) < 0)) best = c;
        }
        yield best;
      }
      case RANDOM -> fits.get(random.nextInt(fits.size()));
    };
  }

  /** True when {@code a} is a better choice than {@code b} (spread and binpack; random has no order). */
  boolean better(Candidate a, Candidate b) {
    return order().compare(a, b) < 0;
  }

  /** Best first: spread the emptiest, binpack the fullest, ties by name. */
  Comparator<Candidate> order() {
    return this == BINPACK ? BINPACK_ORDER : Strategy::spreadOrder;
  }

  private static final Comparator<Candidate> BINPACK_ORDER =
      Comparator.comparingDouble((Candidate c) -> -fullness(c)).thenComparing(Candidate::name);

  private static int spreadOrder(Candidate a, Candidate b) {
    if (a.containers() != b.containers()) return Integer.compare(a.containers(), b.containers());
    int byLoad = Double.compare(fullness(a), fullness(b));
    return byLoad != 0 ? byLoad : BY_NAME.compare(a, b);
  }

  /** Reserved share of the node's scarcer resource, from 0 (empty) to 1 (full). */
  private static double fullness(Candidate c) {
    double mem = c.view.memoryBytes() > 0 ? (double) c.reservedMemory() / c.view.memoryBytes() : 0;
    double cpu = c.view.cpus() > 0 ? c.reservedCpus() / c.view.cpus() : 0;
    return Math.max(mem, cpu);
  }
}

package io.berth.core.scheduler;

import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/** Any feasible node of a sample, as Kubernetes and Nomad sample: no node is preferred. */
final class RandomStrategy implements Strategy {
  @Override
  public String word() {
    return "random";
  }

  @Override
  public Comparator<Candidate> order() {
    return Strategy.SPREAD.order(); // unused: random samples, it never walks
  }

  @Override
  public boolean samples() {
    return true;
  }

  @Override
  public Candidate choose(List<Candidate> fits, RandomGenerator random) {
    return fits.get(random.nextInt(fits.size()));
  }

  @Override
  public String toString() {
    return word();
  }
}

package io.berth.core.scheduler;

import java.util.List;
import java.util.random.RandomGenerator;

/** Any feasible node of a sample, as Kubernetes and Nomad sample: no node is preferred. */
final class RandomStrategy extends OrderedStrategy {
  RandomStrategy() {
    super("random", new SpreadStrategy().order()); // unused: random samples, it never walks
  }

  @Override
  public boolean samples() {
    return true;
  }

  @Override
  public Candidate choose(List<Candidate> fits, RandomGenerator random) {
    return fits.get(random.nextInt(fits.size()));
  }
}

package io.berth.bench;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * What an autoscaled app did around a load step, from samples taken while it ran: when the first
 * new instance served, when the app reached the count it settled on under the load, how far past
 * that count it went, and when it was back at its minimum after the load. Times are seconds from
 * the load step.
 */
final class ScaleTimeline {
  private ScaleTimeline() {}

  /**
   * One look at the app {@code at} seconds after the step: the instances it wants ({@code desired}),
   * how many are in the route table ({@code routed}), and the highest instance index that answered
   * through nginx since the previous sample (-1: none answered).
   */
  record Sample(double at, int desired, int routed, int servedIndex) {}

  /**
   * {@code firstRouted}: the first sample with more than {@code min} instances in the route table;
   * {@code firstServed}: the first with an answer through nginx from an instance index {@code >= min}
   * (a new one); {@code target}: what the app wanted at the end of the load; {@code toTarget}: the
   * first sample with {@code target} instances routed; {@code most}: the most instances
   * wanted or routed under the load, and {@code overshoot} that less the target; {@code backToMin}:
   * seconds from the end of the load to the first sample wanting and routing only {@code min}.
   */
  record Summary(OptionalDouble firstRouted, OptionalDouble firstServed, int target, OptionalDouble toTarget, int most,
                 int overshoot, OptionalDouble backToMin) {
    /** Added capacity served within {@code seconds} of the step: the first new instance answered through nginx by then. */
    boolean servedWithin(double seconds) {
      return firstServed.isPresent() && firstServed.getAsDouble() <= seconds;
    }
  }

  /** Reads the samples (in time order) of an app with minimum {@code min} whose load ended {@code loadEnd} s after the step. */
  static Summary summarize(List<Sample> samples, int min, double loadEnd) {
    List<Sample> loaded = samples.stream().filter(s -> s.at() >= 0 && s.at() <= loadEnd).toList();
    if (loaded.isEmpty()) throw new IllegalArgumentException("no samples under the load");
    int target = loaded.getLast().desired();
    int most = loaded.stream().mapToInt(s -> Math.max(s.desired(), s.routed())).max().orElse(min);
    return new Summary(
        first(loaded, s -> s.routed() > min),
        first(loaded, s -> s.servedIndex() >= min),
        target,
        target > min ? first(loaded, s -> s.routed() >= target) : OptionalDouble.empty(),
        most,
        Math.max(0, most - target),
        samples.stream().filter(s -> s.at() > loadEnd && s.desired() == min && s.routed() == min)
            .mapToDouble(s -> s.at() - loadEnd).findFirst());
  }

  private static OptionalDouble first(List<Sample> samples, Predicate<Sample> p) {
    return samples.stream().filter(p).mapToDouble(Sample::at).findFirst();
  }
}

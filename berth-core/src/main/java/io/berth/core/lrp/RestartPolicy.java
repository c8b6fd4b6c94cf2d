package io.berth.core.lrp;

import java.time.Duration;
import java.util.Optional;

/**
 * Diego's restart schedule for crashed instances: the first {@code immediate} crashes restart at
 * once; after that the wait starts at {@code firstDelay} and doubles up to {@code maxDelay}; after
 * {@code maxRestarts} crashes the instance stays CRASHED. A run of {@code resetAfter} without a crash
 * forgets the count. Pure: times are nanoseconds since the epoch, passed in.
 */
public record RestartPolicy(int immediate, Duration firstDelay, Duration maxDelay, int maxRestarts, Duration resetAfter) {
  /** Diego's numbers: 2 at once, then 30 s doubling to 16 min, never after 200, reset after 5 min. */
  public static final RestartPolicy DIEGO = new RestartPolicy(2, Duration.ofSeconds(30), Duration.ofMinutes(16), 200,
      Duration.ofMinutes(5));

  /** The crash count once {@code a} crashes at {@code now}. */
  int countAfterCrash(ActualLrp a, long now) {
    boolean longRun = a.state() == ActualState.RUNNING && a.runningSince() > 0 && now - a.runningSince() >= resetAfter.toNanos();
    return longRun ? 1 : a.crashCount() + 1;
  }

  /** How long after its last crash an instance with {@code crashCount} crashes waits; empty: never again. */
  public Optional<Duration> delay(int crashCount) {
    if (crashCount >= maxRestarts) return Optional.empty();
    if (crashCount <= immediate) return Optional.of(Duration.ZERO);
    int doublings = Math.min(crashCount - immediate - 1, 30);
    Duration d = firstDelay.multipliedBy(1L << doublings);
    return Optional.of(d.compareTo(maxDelay) > 0 ? maxDelay : d);
  }

  /** True when {@code a}, crashing at {@code now}, is to be started again at once (one of the first {@code immediate} crashes). */
  public boolean restartsAtOnce(ActualLrp a, long now) {
    return delay(countAfterCrash(a, now)).filter(Duration::isZero).isPresent();
  }

  /** True when the crashed instance {@code a} may be started again at {@code now}. */
  public boolean mayRestart(ActualLrp a, long now) {
    return delay(a.crashCount()).map(d -> now - a.crashedAt() >= d.toNanos()).orElse(false);
  }
}

package io.berth.manager.alert;

import java.time.Duration;
import java.util.Optional;

/**
 * The capacity forecast as an alert rule reads it ({@code cluster_memory_full_in}): how long until
 * the cluster's memory is full at its trend. The forecast's own part implements it.
 */
@FunctionalInterface
public interface ClusterForecast {
  ClusterForecast NONE = nowMillis -> Optional.empty();

  /** Time left at the trend; empty when there is no growth or not enough data (the rule then does not hold). */
  Optional<Duration> memoryFullIn(long nowMillis);
}

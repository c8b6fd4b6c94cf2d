package io.berth.manager.metrics;

import java.time.Duration;
import java.util.Optional;

/**
 * The capacity forecast as alert rules read it ({@code cluster_memory_full_in < 24h}): when the
 * cluster's memory, reserved or used, reaches its capacity at the trend of the stored series.
 */
public interface CapacityForecast {
  CapacityForecast NONE = Optional::empty;

  /** The sooner of memory reserved and memory used reaching the cluster's memory; empty for no growth or not enough data. */
  Optional<Duration> clusterMemoryFullIn();
}

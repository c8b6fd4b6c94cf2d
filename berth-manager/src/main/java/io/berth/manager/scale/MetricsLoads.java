package io.berth.manager.scale;

import io.berth.core.metrics.Metric;
import io.berth.core.scale.Load;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;

/**
 * Loads from the manager's metrics history (each instance's newest sample, at most three agent
 * intervals old) and the routers' traffic numbers. Per-instance samples rather than the app's
 * summed window: an average needs to know how many instances a slot's sum came from, and the
 * instances that were just scaled away (indexes at or above {@code instances}) must not count.
 */
final class MetricsLoads implements LoadSource {
  private final MetricsHistory history;
  private final TrafficNumbers traffic;

  MetricsLoads(MetricsHistory history, TrafficNumbers traffic) {
    this.history = history;
    this.traffic = traffic;
  }

  @Override
  public Load load(String app, int version, int instances, long nowMillis) {
    int measured = 0;
    double cpu = 0;
    int cpuCount = 0;
    double used = 0;
    double limit = 0;
    for (MetricsHistory.Current c : history.current(nowMillis)) {
      MetricsHistory.Instance i = c.instance();
      if (!app.equals(i.app()) || i.version() == null || i.version() != version || i.index() == null || i.index() >= instances) continue;
      measured++;
      float[] v = c.values();
      if (!Float.isNaN(v[Metric.CPU_PERCENT.ordinal()])) {
        cpu += v[Metric.CPU_PERCENT.ordinal()];
        cpuCount++;
      }
      float mem = v[Metric.MEMORY_BYTES.ordinal()];
      float lim = v[Metric.MEMORY_LIMIT_BYTES.ordinal()];
      if (!Float.isNaN(mem) && !Float.isNaN(lim) && lim > 0) {
        used += mem;
        limit += lim;
      }
    }
    if (measured == 0) return Load.NONE;
    int n = measured;
    double rps = traffic.latest(app, nowMillis).map(t -> t.requestsPerSecond() / n).orElse(Double.NaN);
    return new Load(measured, cpuCount == 0 ? Double.NaN : cpu / cpuCount, limit == 0 ? Double.NaN : 100 * used / limit, rps);
  }
}

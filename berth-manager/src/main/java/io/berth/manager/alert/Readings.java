package io.berth.manager.alert;

import io.berth.manager.metrics.CapacityForecast;
import io.berth.core.alert.AlertExpression;
import io.berth.core.app.AppLrps;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.metrics.Metric;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one evaluation pass reads, once for every rule: each app's containers' newest samples (the
 * same ones {@code /metrics} exports), its instances, the routers' numbers and the forecast.
 * {@link #value} is NaN when there is no data, and a rule without data does not hold.
 */
final class Readings {
  private final Map<String, List<MetricsHistory.Current>> samples = new HashMap<>();
  private final Map<String, int[]> instances = new HashMap<>(); // app -> {running, crashed}
  private final TrafficNumbers traffic;
  private final CapacityForecast forecast;
  private final Restarts restarts;
  private final long now;

  Readings(List<MetricsHistory.Current> current, List<ActualLrp> actuals, TrafficNumbers traffic, CapacityForecast forecast,
           Restarts restarts, long nowMillis) {
    this.traffic = traffic;
    this.forecast = forecast;
    this.restarts = restarts;
    this.now = nowMillis;
    for (MetricsHistory.Current c : current) {
      if (c.instance().app() != null) samples.computeIfAbsent(c.instance().app(), k -> new ArrayList<>()).add(c);
    }
    Set<String> slots = new HashSet<>();
    for (ActualLrp a : actuals) {
      if (!a.domain().equals(AppLrps.APPS)) continue;
      slots.add(Restarts.slot(a));
      String app = appOf(a.processGuid().value());
      int[] n = instances.computeIfAbsent(app, k -> new int[2]);
      if (a.state() == ActualState.RUNNING) n[0]++;
      if (a.state() == ActualState.CRASHED) n[1]++;
      restarts.observe(app, a, nowMillis);
    }
    restarts.retain(slots);
  }

  /** {@code APP-vN} → {@code APP}. */
  static String appOf(String processGuid) {
    int v = processGuid.lastIndexOf("-v");
    return v < 0 ? processGuid : processGuid.substring(0, v);
  }

  double value(String app, AlertExpression x) {
    return switch (x.metric()) {
      case CPU -> sum(app, Metric.CPU_PERCENT);
      case CPU_PER_INSTANCE -> max(app, Metric.CPU_PERCENT, false);
      case MEMORY -> max(app, Metric.MEMORY_BYTES, x.ofLimit());
      case NET_RX -> sum(app, Metric.NET_RX_BYTES_PER_SECOND);
      case NET_TX -> sum(app, Metric.NET_TX_BYTES_PER_SECOND);
      case BLOCK_READ -> sum(app, Metric.BLOCK_READ_BYTES_PER_SECOND);
      case BLOCK_WRITE -> sum(app, Metric.BLOCK_WRITE_BYTES_PER_SECOND);
      case RESTARTS -> restarts.count(app, x.window().toMillis(), now);
      case INSTANCES_RUNNING -> instances.getOrDefault(app, new int[2])[0];
      case UNHEALTHY -> instances.getOrDefault(app, new int[2])[1];
      case REQUESTS -> traffic.latest(app, now).map(TrafficNumbers.Traffic::requestsPerSecond).orElse(Double.NaN);
      case ERRORS_5XX -> traffic.latest(app, now).map(TrafficNumbers.Traffic::errors5xxPercent).orElse(Double.NaN);
      case LATENCY_P99 -> traffic.latest(app, now).map(TrafficNumbers.Traffic::latencyP99Millis).orElse(Double.NaN);
      case CLUSTER_MEMORY_FULL_IN -> forecast.clusterMemoryFullIn().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    };
  }

  private double sum(String app, Metric m) {
    double s = Double.NaN;
    for (MetricsHistory.Current c : samples.getOrDefault(app, List.of())) {
      float v = c.values()[m.ordinal()];
      if (!Float.isNaN(v)) s = Double.isNaN(s) ? v : s + v;
    }
    return s;
  }

  /** The largest instance's value, or its share of the memory limit in percent. */
  private double max(String app, Metric m, boolean ofLimit) {
    double best = Double.NaN;
    for (MetricsHistory.Current c : samples.getOrDefault(app, List.of())) {
      double v = c.values()[m.ordinal()];
      if (ofLimit) v = v / c.values()[Metric.MEMORY_LIMIT_BYTES.ordinal()] * 100;
      if (!Double.isNaN(v) && !Double.isInfinite(v) && (Double.isNaN(best) || v > best)) best = v;
    }
    return best;
  }
}

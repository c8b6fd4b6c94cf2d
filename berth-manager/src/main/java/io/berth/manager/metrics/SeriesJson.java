package io.berth.manager.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.SeriesWindow;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code /v1/metrics/…}: the interval, the window's start, the series (times and
 * one array per metric, aligned, null where no sample) and the containers in it; a node's adds
 * its capacity and how many containers it runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SeriesJson(long intervalSeconds, Instant since, Map<String, List<?>> series, List<InstanceJson> instances,
                  Capacity capacity, Integer containers) {
  record Capacity(int cpus, long memoryBytes) {}

  /** One container of the window, as the contract shows it ({@code owner} is not shown). */
  record InstanceJson(String container, String name, String app, Integer version, Integer index, String instance, String node) {
    static InstanceJson of(MetricsHistory.Instance i) {
      return new InstanceJson(i.container(), i.name(), i.app(), i.version(), i.index(), i.instance(), i.node());
    }
  }

  /** The same answer with an app's traffic series from its routers added: {@code requests}, {@code errors_5xx}, {@code latency_p99}. */
  SeriesJson with(TrafficRing.Columns traffic) {
    Map<String, List<?>> more = new LinkedHashMap<>(series);
    more.put("requests", traffic.requests());
    more.put("errors_5xx", traffic.errors5xx());
    more.put("latency_p99", traffic.latencyP99());
    return new SeriesJson(intervalSeconds, since, more, instances, capacity, containers);
  }

  static SeriesJson of(SeriesWindow w, Instant since, List<MetricsHistory.Instance> instances, Capacity capacity, Integer containers) {
    Map<String, List<?>> series = new LinkedHashMap<>();
    series.put("t", w.times());
    for (Metric m : Metric.ALL) series.put(m.key(), w.column(m));
    return new SeriesJson(w.intervalMillis() / 1000, since, series, instances.stream().map(InstanceJson::of).toList(), capacity,
        containers);
  }
}

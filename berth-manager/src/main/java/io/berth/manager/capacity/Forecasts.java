package io.berth.manager.capacity;

import io.berth.core.metrics.Metric;
import io.berth.core.metrics.SeriesWindow;
import io.berth.core.metrics.Trend;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.metrics.CapacityForecast;
import io.berth.manager.metrics.MetricsHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The capacity forecast (docs/autoscale.md): a least-squares {@link Trend} over the metrics
 * retention of each node's memory and CPU used (the stored node series) and reserved (the ring of
 * reservations this manager samples), and of their sums over the cluster.
 */
final class Forecasts implements CapacityForecast {
  private final Supplier<List<NodeView>> nodes;
  private final MetricsHistory history;
  private final ReservationRing ring;
  private final Clock clock;

  Forecasts(Supplier<List<NodeView>> nodes, MetricsHistory history, ReservationRing ring, Clock clock) {
    this.nodes = nodes;
    this.history = history;
    this.ring = ring;
    this.clock = clock;
  }

  /** Samples every node's reservations now: the memory and CPUs of its containers that hold them. */
  void sample() {
    Map<String, ReservationRing.Reserved> at = new HashMap<>();
    for (NodeView n : nodes.get()) {
      long mem = 0;
      double cpus = 0;
      for (NodeView.ContainerView c : n.containers()) {
        if (!c.reserving()) continue;
        mem += c.memoryBytes();
        cpus += c.cpus();
      }
      at.put(n.name().value(), new ReservationRing.Reserved(mem, cpus));
    }
    ring.add(new ReservationRing.Sample(clock.millis(), at));
  }

  /** Series of one number per sample, and the trend through them. */
  private record Series(List<Long> times, List<Double> values) {
    Trend trend(long now) {
      return Trend.fit(times, values, now);
    }

    Double newest() {
      for (int i = values.size() - 1; i >= 0; i--) if (values.get(i) != null) return values.get(i);
      return null;
    }
  }

  ForecastView view() {
    long now = clock.millis();
    long since = now - history.retention().toMillis();
    List<ReservationRing.Sample> samples = ring.since(since);
    List<NodeView> views = new ArrayList<>(nodes.get());
    views.sort(Comparator.comparing(n -> n.name().value()));
    List<ForecastView.Part> parts = new ArrayList<>();
    Trend usedMem = new Trend(0, 0, Double.NaN);
    Trend usedCpu = new Trend(0, 0, Double.NaN);
    double newestMem = 0;
    double newestCpu = 0;
    double memCap = 0;
    double cpuCap = 0;
    for (NodeView n : views) {
      String name = n.name().value();
      Series mem = reserved(samples, name, true);
      Series cpu = reserved(samples, name, false);
      Optional<MetricsHistory.NodeWindow> w = history.node(name, since, now);
      Series um = w.map(x -> used(x.series(), Metric.MEMORY_BYTES, 1)).orElse(new Series(List.of(), List.of()));
      Series uc = w.map(x -> used(x.series(), Metric.CPU_PERCENT, 0.01)).orElse(new Series(List.of(), List.of()));
      Trend tm = um.trend(now);
      Trend tc = uc.trend(now);
      if (tm.enough()) usedMem = usedMem.plus(tm);
      if (tc.enough()) usedCpu = usedCpu.plus(tc);
      newestMem += um.newest() == null ? 0 : um.newest();
      newestCpu += uc.newest() == null ? 0 : uc.newest();
      memCap += n.memoryBytes();
      cpuCap += n.cpus();
      parts.add(new ForecastView.Part(name,
          resource(n.memoryBytes(), mem.trend(now), mem.newest(), tm, um.newest(), "memory"),
          resource(n.cpus(), cpu.trend(now), cpu.newest(), tc, uc.newest(), "cpu")));
    }
    Series mem = reserved(samples, null, true);
    Series cpu = reserved(samples, null, false);
    ForecastView.Part cluster = new ForecastView.Part("cluster",
        resource(memCap, mem.trend(now), mem.newest(), usedMem, views.isEmpty() ? null : newestMem, "memory"),
        resource(cpuCap, cpu.trend(now), cpu.newest(), usedCpu, views.isEmpty() ? null : newestCpu, "cpu"));
    return new ForecastView(history.retention().toSeconds(), Instant.ofEpochMilli(since), cluster, parts);
  }

  private static ForecastView.Resource resource(double capacity, Trend reserved, Double reservedNow, Trend used, Double usedNow,
                                                String what) {
    return new ForecastView.Resource(capacity, ForecastView.Line.of(reserved, reservedNow, capacity, what + " reserved"),
        ForecastView.Line.of(used, usedNow, capacity, what + " used"));
  }

  /** A node's reservations per sample ({@code node} null: the cluster's sum); memory in bytes or CPUs. */
  private static Series reserved(List<ReservationRing.Sample> samples, String node, boolean memory) {
    List<Long> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    for (ReservationRing.Sample s : samples) {
      double sum = 0;
      boolean any = false;
      for (Map.Entry<String, ReservationRing.Reserved> e : s.nodes().entrySet()) {
        if (node != null && !node.equals(e.getKey())) continue;
        sum += memory ? e.getValue().memoryBytes() : e.getValue().cpus();
        any = true;
      }
      t.add(s.atMillis());
      v.add(any ? sum : null);
    }
    return new Series(t, v);
  }

  /** A node's used series, scaled ({@code cpu_percent} × 0.01 is CPUs). */
  private static Series used(SeriesWindow w, Metric m, double scale) {
    List<Double> v = new ArrayList<>();
    for (Double x : w.column(m)) v.add(x == null ? null : x * scale);
    return new Series(w.times(), v);
  }

  @Override
  public Optional<Duration> clusterMemoryFullIn() {
    ForecastView.Resource m = view().cluster().memory();
    Long a = m.reserved().fullInSeconds();
    Long b = m.used().fullInSeconds();
    if (a == null && b == null) return Optional.empty();
    return Optional.of(Duration.ofSeconds(a == null ? b : b == null ? a : Math.min(a, b)));
  }
}

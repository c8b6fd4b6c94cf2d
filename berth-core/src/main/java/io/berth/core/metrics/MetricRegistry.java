package io.berth.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Berth's metrics of one process, written on a scrape in the Prometheus text format: families
 * updated as things happen (counters, gauges, histograms) and collectors read at scrape time.
 * Asking again for a family by its name returns the one registered, so instruments may be
 * declared where they are used.
 */
public final class MetricRegistry {
  private final Map<String, MetricFamily> families = new LinkedHashMap<>();
  private final List<Collector> collectors = new ArrayList<>();

  public Counter counter(String name, String help, String... labels) {
    return family(name, Counter.class, () -> new Counter(name, help, labels));
  }

  public Gauge gauge(String name, String help, String... labels) {
    return family(name, Gauge.class, () -> new Gauge(name, help, labels));
  }

  public Histogram histogram(String name, String help, double[] buckets, String... labels) {
    return family(name, Histogram.class, () -> new Histogram(name, help, buckets, labels));
  }

  /** As above, with the bounds as a list ({@link Histogram#LATENCY_SECONDS}). */
  public Histogram histogram(String name, String help, List<Double> buckets, String... labels) {
    return histogram(name, help, buckets.stream().mapToDouble(Double::doubleValue).toArray(), labels);
  }

  /** Adds a collector, run on every scrape after the families. */
  public synchronized void collector(Collector c) {
    collectors.add(c);
  }

  public synchronized void remove(Collector c) {
    collectors.remove(c);
  }

  private synchronized <F extends MetricFamily> F family(String name, Class<F> type, Supplier<F> make) {
    MetricFamily f = families.get(name);
    if (f == null) {
      F made = make.get();
      families.put(name, made);
      return made;
    }
    if (!type.isInstance(f)) throw new IllegalArgumentException(name + " is already a " + f.type());
    return type.cast(f);
  }

  /** The whole exposition. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    writeTo(out);
    return out.toString();
  }

  public void writeTo(StringBuilder sb) {
    List<MetricFamily> fs;
    List<Collector> cs;
    synchronized (this) {
      fs = new ArrayList<>(families.values());
      cs = new ArrayList<>(collectors);
    }
    PrometheusText out = new PrometheusText(sb);
    for (MetricFamily f : fs) f.write(out);
    for (Collector c : cs) c.collect(out);
  }
}

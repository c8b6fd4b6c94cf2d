package io.berth.core.metrics;

import java.util.ArrayList;
import java.util.List;

/** Observations in cumulative buckets ({@code le}), with their sum and count, as Prometheus histograms. */
public final class Histogram extends MetricFamily {
  /** Seconds, from half a millisecond to ten seconds: HTTP calls, placements, passes. */
  public static final List<Double> LATENCY_SECONDS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
  private final double[] bounds;

  Histogram(String name, String help, double[] bounds, String... labels) {
    super(name, help, labels);
    for (String l : labels) if (l.equals("le")) throw new IllegalArgumentException(name + ": 'le' is the histogram's own label");
    for (int i = 1; i < bounds.length; i++) {
      if (!(bounds[i] > bounds[i - 1])) throw new IllegalArgumentException(name + ": bucket bounds must increase");
    }
    this.bounds = bounds.clone();
  }

  public synchronized void observe(double value, String... labelValues) {
    double[] c = child(labelValues);
    int i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    c[i]++; // bucket i counts values in (bounds[i-1], bounds[i]]; the last cell before sum is +Inf's own
    c[bounds.length + 1] += value;
    c[bounds.length + 2]++;
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  int cells() {
    return bounds.length + 3;
  }

  @Override
  void writeChild(PrometheusText out, List<String> values, double[] cells) {
    List<String> names = new ArrayList<>(labels);
    names.add("le");
    double cumulative = 0;
    for (int i = 0; i <= bounds.length; i++) {
      cumulative += cells[i];
      List<String> v = new ArrayList<>(values);
      v.add(i == bounds.length ? "+Inf" : bucket(bounds[i]));
      out.sample(name + "_bucket", names, v, cumulative);
    }
    out.sample(name + "_sum", labels, values, cells[bounds.length + 1]);
    out.sample(name + "_count", labels, values, cells[bounds.length + 2]);
  }

  private static String bucket(double b) {
    StringBuilder s = new StringBuilder();
    PrometheusText.number(b, s);
    return s.toString();
  }

  /** How many observations the child with these labels has had. */
  public synchronized long count(String... labelValues) {
    return (long) child(labelValues)[bounds.length + 2];
  }
}

package io.berth.core.metrics;

import java.util.List;

/** A value that goes up and down, set by whoever knows it. */
public final class Gauge extends MetricFamily {
  Gauge(String name, String help, String... labels) {
    super(name, help, labels);
  }

  public synchronized void set(double value, String... labelValues) {
    child(labelValues)[0] = value;
  }

  public synchronized void add(double amount, String... labelValues) {
    child(labelValues)[0] += amount;
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  int cells() {
    return 1;
  }

  @Override
  void writeChild(PrometheusText out, List<String> values, double[] cells) {
    out.sample(name, labels, values, cells[0]);
  }
}

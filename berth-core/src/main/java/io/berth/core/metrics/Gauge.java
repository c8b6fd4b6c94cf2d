package io.berth.core.metrics;

/** A value that goes up and down, set by whoever knows it. */
public final class Gauge extends SingleValue {
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
}

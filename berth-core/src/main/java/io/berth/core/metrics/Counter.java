package io.berth.core.metrics;

/** A monotonic count, {@code _total} by convention. */
public final class Counter extends SingleValue {
  Counter(String name, String help, String... labels) {
    super(name, help, labels);
  }

  public void inc(String... labelValues) {
    add(1, labelValues);
  }

  public synchronized void add(double amount, String... labelValues) {
    if (amount < 0) throw new IllegalArgumentException(name + ": a counter only goes up, not by " + amount);
    child(labelValues)[0] += amount;
  }

  @Override
  String type() {
    return "counter";
  }
}

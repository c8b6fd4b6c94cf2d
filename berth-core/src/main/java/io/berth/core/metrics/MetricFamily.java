package io.berth.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric and its children, one per combination of label values. Children are created on first
 * use and live as long as the family (label values must come from small sets: routes, outcomes,
 * states — never ids). Updates lock the family: uncontended, that is a few nanoseconds.
 */
public abstract sealed class MetricFamily permits SingleValue, Histogram {
  final String name;
  final String help;
  final List<String> labels;
  private final Map<List<String>, double[]> children = new HashMap<>();

  MetricFamily(String name, String help, String... labels) {
    PrometheusText.checkName(name);
    for (String l : labels) PrometheusText.checkLabel(l);
    this.name = name;
    this.help = help;
    this.labels = List.of(labels);
  }

  public String name() {
    return name;
  }

  abstract String type();

  /** The number of cells a child keeps (1 for a counter or gauge; buckets + sum + count for a histogram). */
  abstract int cells();

  /** The cells of the child with these label values, created when new; call with the family locked. */
  final double[] child(String[] values) {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(name + " has labels " + labels + ", given " + values.length + " values");
    }
    return children.computeIfAbsent(List.of(values), k -> new double[cells()]);
  }

  final synchronized void write(PrometheusText out) {
    out.family(name, type(), help);
    List<Map.Entry<List<String>, double[]>> sorted = new ArrayList<>(children.entrySet());
    sorted.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
    for (Map.Entry<List<String>, double[]> e : sorted) writeChild(out, e.getKey(), Arrays.copyOf(e.getValue(), e.getValue().length));
  }

  abstract void writeChild(PrometheusText out, List<String> values, double[] cells);

  /** The value of a counter's or gauge's child (0 when it was never touched), for tests and benchmarks. */
  public final synchronized double value(String... values) {
    double[] c = children.get(List.of(values));
    return c == null ? 0 : c[0];
  }
}

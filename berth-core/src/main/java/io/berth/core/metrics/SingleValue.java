package io.berth.core.metrics;

import java.util.List;

/** A family whose children each hold one number, written as one sample: a counter or a gauge. */
abstract sealed class SingleValue extends MetricFamily permits Counter, Gauge {
  SingleValue(String name, String help, String... labels) {
    super(name, help, labels);
  }

  @Override
  final int cells() {
    return 1;
  }

  @Override
  final void writeChild(PrometheusText out, List<String> values, double[] cells) {
    out.sample(name, labels, values, cells[0]);
  }
}

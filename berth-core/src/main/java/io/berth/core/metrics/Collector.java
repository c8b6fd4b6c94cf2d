package io.berth.core.metrics;

/** Writes families whose samples are read at scrape time (nodes by state, containers' last samples). */
@FunctionalInterface
public interface Collector {
  void collect(PrometheusText out);
}

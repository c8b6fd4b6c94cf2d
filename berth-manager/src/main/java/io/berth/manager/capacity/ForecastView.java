package io.berth.manager.capacity;

import io.berth.core.metrics.Trend;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/nodes/forecast}: the window the trends are fitted over, then the
 * cluster's and each node's memory (bytes) and CPU (CPUs), reserved and used.
 */
record ForecastView(long windowSeconds, Instant since, Part cluster, List<Part> nodes) {
  /** A node, or the cluster ({@code name} {@code cluster}). */
  record Part(String name, Resource memory, Resource cpu) {}

  /** One resource: its capacity and the two series against it. */
  record Resource(double capacity, Line reserved, Line used) {}

  /**
   * One series' trend: its newest value, its slope per hour, when it reaches the capacity (null:
   * no growth or not enough data), on how many samples it rests, and all that in words.
   */
  record Line(Double now, double perHour, Long fullInSeconds, int samples, String says) {
    static Line of(Trend t, Double newest, double capacity, String what) {
      return new Line(newest, round(t.perHour()), t.fullIn(capacity).map(d -> d.toSeconds()).orElse(null), t.samples(),
          t.says(what, capacity));
    }

    private static double round(double v) {
      return Math.abs(v) >= 100 ? Math.rint(v) : Math.rint(v * 1000) / 1000;
    }
  }
}

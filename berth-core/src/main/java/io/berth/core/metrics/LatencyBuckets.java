package io.berth.core.metrics;

import java.util.List;

/**
 * The fixed latency buckets routers count requests in and the manager merges: upper bounds in
 * milliseconds, about 1.5× apart from 1 ms to 60 s, and a last bucket for anything slower. Fixed
 * bounds make merging two routers' windows a sum per bucket, so a p99 over all routers is the p99
 * of all their requests, not the max of theirs; the price is an answer within one bucket's width,
 * narrowed by interpolating inside it (as Prometheus' {@code histogram_quantile}).
 */
public final class LatencyBuckets {
  /** Upper bounds, inclusive, in milliseconds; bucket {@code BOUNDS_MS.size()} holds the rest. */
  public static final List<Integer> BOUNDS_MS = List.of(1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700,
      1000, 1500, 2000, 3000, 5000, 7000, 10_000, 15_000, 20_000, 30_000, 60_000);
  /** How many counts a window holds: one per bound and one for slower requests. */
  public static final int COUNT = BOUNDS_MS.size() + 1;

  private LatencyBuckets() {}

  /** The bucket of a request that took {@code millis}. */
  public static int bucketOf(double millis) {
    for (int i = 0; i < BOUNDS_MS.size(); i++) if (millis <= BOUNDS_MS.get(i)) return i;
    return BOUNDS_MS.size();
  }

  /**
   * The {@code q} quantile (0 &lt; q ≤ 1) of the requests counted in {@code counts}, in
   * milliseconds, interpolated linearly inside its bucket; NaN when nothing was counted. A quantile
   * in the last, open bucket is its lower bound (60 s): "at least".
   */
  public static double quantile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) total += c;
    if (total == 0) return Double.NaN;
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        if (i >= BOUNDS_MS.size()) return BOUNDS_MS.get(BOUNDS_MS.size() - 1);
        double lower = i == 0 ? 0 : BOUNDS_MS.get(i - 1);
        double upper = BOUNDS_MS.get(i);
        return lower + (upper - lower) * (rank - below) / counts[i];
      }
      below += counts[i];
    }
    return BOUNDS_MS.get(BOUNDS_MS.size() - 1);
  }

  /** Adds {@code from} into {@code into}, bucket by bucket; a shorter array adds what it has. */
  public static void merge(long[] into, long[] from) {
    for (int i = 0; i < Math.min(into.length, from.length); i++) into[i] += from[i];
  }
}

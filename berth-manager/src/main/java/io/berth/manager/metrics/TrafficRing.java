package io.berth.manager.metrics;

import io.berth.core.metrics.LatencyBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One app's traffic history: slots of {@link #SLOT_MILLIS} (a router's window), each the sum over
 * routers of the windows whose middle fell in it, in primitive arrays. A slot keeps its merged
 * latency buckets while routers may still add to it ({@link #OPEN_MILLIS}); then only its p99 is
 * kept, so an hour costs ~36 bytes a slot whatever the traffic. Not thread-safe: its owner locks.
 */
final class TrafficRing {
  static final long SLOT_MILLIS = 5_000;
  /** How long after its end a slot may still get a router's window: the reports' freshness. */
  static final long OPEN_MILLIS = RouterTraffic.FRESH_MILLIS;
  private static final long EMPTY = Long.MIN_VALUE;
  private final int capacity;
  private final long[] slots;
  private final long[] requests;
  private final long[] errors;
  private final float[] p99;
  private final long[][] open;
  private long newest = EMPTY;
  private long sealedThrough = EMPTY;

  TrafficRing(int capacity) {
    this.capacity = capacity;
    this.slots = new long[capacity];
    this.requests = new long[capacity];
    this.errors = new long[capacity];
    this.p99 = new float[capacity];
    this.open = new long[capacity][];
    Arrays.fill(slots, EMPTY);
  }

  /** Adds one router's window whose middle is {@code midMillis}; slots too old to change are sealed first. */
  void add(long midMillis, long req, long err, long[] buckets, long nowMillis) {
    long slot = Math.floorDiv(midMillis, SLOT_MILLIS);
    seal(nowMillis);
    if (slot <= sealedThrough) return; // too late to change its slot: dropped, as a late sample
    int i = (int) Math.floorMod(slot, (long) capacity);
    if (slots[i] != slot) {
      if (slots[i] > slot) return; // older than what the ring holds: dropped
      slots[i] = slot;
      requests[i] = 0;
      errors[i] = 0;
      p99[i] = Float.NaN;
      open[i] = new long[LatencyBuckets.COUNT];
    }
    requests[i] += req;
    errors[i] += err;
    LatencyBuckets.merge(open[i], buckets);
    newest = Math.max(newest, slot);
  }

  /** Turns open slots whose end is older than {@link #OPEN_MILLIS} into their p99. */
  private void seal(long nowMillis) {
    long last = Math.floorDiv(nowMillis - OPEN_MILLIS, SLOT_MILLIS) - 1;
    // only the slots that became old since the last call: once per slot, not once per report
    for (long s = Math.max(sealedThrough + 1, last - capacity + 1); s <= last; s++) {
      int i = (int) Math.floorMod(s, (long) capacity);
      if (slots[i] == s && open[i] != null) {
        p99[i] = (float) LatencyBuckets.quantile(open[i], 0.99);
        open[i] = null;
      }
    }
    sealedThrough = Math.max(sealedThrough, last);
  }

  /** When the newest window ended, about: the end of its slot. */
  long newestMillis() {
    return newest == EMPTY ? EMPTY : (newest + 1) * SLOT_MILLIS;
  }

  /** The app's three series, aligned with {@code times} (slot starts of {@code intervalMillis}); null where no router reported. */
  record Columns(List<Double> requests, List<Double> errors5xx, List<Double> latencyP99) {}

  /**
   * Per API slot: requests per second (the mean of its ring slots' rates), the share of 5xx among
   * its requests in %, and the highest p99 of its ring slots in ms.
   */
  Columns columns(List<Long> times, long intervalMillis) {
    List<Double> rps = new ArrayList<>(times.size());
    List<Double> err = new ArrayList<>(times.size());
    List<Double> lat = new ArrayList<>(times.size());
    for (long t : times) {
      long n = 0, req = 0, bad = 0;
      double worst = Double.NaN;
      for (long s = Math.floorDiv(t, SLOT_MILLIS); s * SLOT_MILLIS < t + intervalMillis; s++) {
        int i = (int) Math.floorMod(s, (long) capacity);
        if (slots[i] != s) continue;
        n++;
        req += requests[i];
        bad += errors[i];
        double q = open[i] != null ? LatencyBuckets.quantile(open[i], 0.99) : p99[i];
        if (!Double.isNaN(q) && !(q <= worst)) worst = q;
      }
      rps.add(n == 0 ? null : round(req * 1000.0 / (n * SLOT_MILLIS)));
      err.add(n == 0 ? null : req == 0 ? 0.0 : round(bad * 100.0 / req));
      lat.add(n == 0 ? null : Double.isNaN(worst) ? 0.0 : round(worst));
    }
    return new Columns(rps, err, lat);
  }

  static double round(double v) {
    return Math.rint(v * 100) / 100;
  }
}

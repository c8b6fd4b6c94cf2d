package io.berth.manager.metrics;

import io.berth.core.metrics.LatencyBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One app's traffic history: slots of {@link #SLOT_MILLIS} (a router's window), in primitive
 * arrays. A router's window is spread over the slots it overlaps, each getting the share of its
 * requests and 5xx that its overlap is of the window, so windows that do not line up with the slots
 * (a router's timer drifts, routers start at different times) neither double a slot nor leave one
 * empty; its latency buckets are merged into each of those slots (a slot's p99 is of the windows
 * it overlaps). A slot keeps its merged latency buckets while routers may still add to it
 * ({@link #OPEN_MILLIS}); then only its p99 is kept, so an hour costs ~44 bytes a slot whatever the
 * traffic. Not thread-safe: its owner locks.
 */
final class TrafficRing {
  static final long SLOT_MILLIS = 5_000;
  /** How long after its end a slot may still get a router's window: the reports' freshness. */
  static final long OPEN_MILLIS = RouterTraffic.FRESH_MILLIS;
  private static final long EMPTY = Long.MIN_VALUE;
  private final int capacity;
  private final long[] slots;
  private final double[] requests;
  private final double[] errors;
  private final float[] p99;
  private final long[][] open;
  private long newestEndMillis = EMPTY;
  private long oldestStartMillis = Long.MAX_VALUE;
  private long sealedThrough = EMPTY;

  TrafficRing(int capacity) {
    this.capacity = capacity;
    this.slots = new long[capacity];
    this.requests = new double[capacity];
    this.errors = new double[capacity];
    this.p99 = new float[capacity];
    this.open = new long[capacity][];
    Arrays.fill(slots, EMPTY);
  }

  /** Adds one router's window {@code [endMillis - windowMillis, endMillis)}; slots too old to change are sealed first. */
  void add(long endMillis, long windowMillis, long req, long err, long[] buckets, long nowMillis) {
    seal(nowMillis);
    long start = endMillis - windowMillis;
    for (long slot = Math.floorDiv(start, SLOT_MILLIS); slot * SLOT_MILLIS < endMillis; slot++) {
      long overlap = Math.min(endMillis, (slot + 1) * SLOT_MILLIS) - Math.max(start, slot * SLOT_MILLIS);
      double share = (double) overlap / windowMillis;
      int i = slotIndex(slot);
      if (i < 0) continue; // too late to change, or older than what the ring holds: dropped, as a late sample
      requests[i] += req * share;
      errors[i] += err * share;
      LatencyBuckets.merge(open[i], buckets);
    }
    newestEndMillis = Math.max(newestEndMillis, endMillis);
    oldestStartMillis = Math.min(oldestStartMillis, start);
  }

  /** Where {@code slot} is in the arrays, taking the place of an older slot; -1 when it is sealed or older than the ring. */
  private int slotIndex(long slot) {
    if (slot <= sealedThrough) return -1;
    int i = (int) Math.floorMod(slot, (long) capacity);
    if (slots[i] != slot) {
      if (slots[i] > slot) return -1;
      slots[i] = slot;
      requests[i] = 0;
      errors[i] = 0;
      p99[i] = Float.NaN;
      open[i] = new long[LatencyBuckets.COUNT];
    }
    return i;
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

  /** When the newest window ended. */
  long newestMillis() {
    return newestEndMillis;
  }

  /** The app's three series, aligned with {@code times} (slot starts of {@code intervalMillis}); null where no router reported. */
  record Columns(List<Double> requests, List<Double> errors5xx, List<Double> latencyP99) {}

  /**
   * Per API slot: requests per second (its requests over its length, or over the part of it the
   * windows cover: so far, for the newest; since the first window, for the oldest), the share of
   * 5xx among its requests in %, and the highest p99 of its ring slots in ms. So a slot's rate
   * times the part of it covered is the requests it saw.
   */
  Columns columns(List<Long> times, long intervalMillis) {
    List<Double> rps = new ArrayList<>(times.size());
    List<Double> err = new ArrayList<>(times.size());
    List<Double> lat = new ArrayList<>(times.size());
    for (long t : times) {
      long n = 0;
      double req = 0, bad = 0;
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
      long seen = Math.max(1, Math.min(t + intervalMillis, newestEndMillis) - Math.max(t, oldestStartMillis));
      rps.add(n == 0 ? null : round(req * 1000.0 / seen));
      err.add(n == 0 ? null : req < 0.5 ? 0.0 : round(bad * 100.0 / req));
      lat.add(n == 0 ? null : Double.isNaN(worst) ? 0.0 : round(worst));
    }
    return new Columns(rps, err, lat);
  }

  static double round(double v) {
    return Math.rint(v * 100) / 100;
  }
}

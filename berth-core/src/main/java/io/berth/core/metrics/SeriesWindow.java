package io.berth.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A window of aligned slots ({@code count} slots of {@code intervalMillis} ending with the slot of
 * {@code untilMillis}) into which rings are added: one ring is a container's series, several are
 * summed per slot (an app's instances, a node's containers). A metric no ring had in a slot stays
 * absent ({@code null} in {@link #column}), so "no sample" is never shown as zero.
 */
public final class SeriesWindow {
  private final long intervalMillis;
  private final long firstSlot;
  private final int count;
  private final double[] sums;
  private final boolean[] present;
  private final float[] scratch = new float[Metric.COUNT];

  public SeriesWindow(long intervalMillis, long sinceMillis, long untilMillis) {
    if (intervalMillis <= 0) throw new IllegalArgumentException("interval must be > 0 ms: " + intervalMillis);
    long last = Math.floorDiv(untilMillis, intervalMillis);
    long first = Math.floorDiv(sinceMillis, intervalMillis) + 1;
    this.intervalMillis = intervalMillis;
    this.firstSlot = Math.min(first, last);
    this.count = (int) Math.min(1_000_000, last - firstSlot + 1);
    this.sums = new double[count * Metric.COUNT];
    this.present = new boolean[count * Metric.COUNT];
  }

  public long intervalMillis() {
    return intervalMillis;
  }

  public int size() {
    return count;
  }

  /** Adds each slot's sample of {@code ring} (the ring's sample at that slot's start time). */
  public void add(SeriesRing ring) {
    for (int i = 0; i < count; i++) {
      long t = (firstSlot + i) * intervalMillis;
      if (!ring.get(ring.slotOf(t), scratch)) continue;
      for (int m = 0; m < Metric.COUNT; m++) {
        float v = scratch[m];
        if (Float.isNaN(v)) continue;
        sums[i * Metric.COUNT + m] += v;
        present[i * Metric.COUNT + m] = true;
      }
    }
  }

  /** The start of each slot, epoch milliseconds. */
  public List<Long> times() {
    List<Long> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add((firstSlot + i) * intervalMillis);
    return out;
  }

  /** One metric's values aligned with {@link #times()}; null where no ring had a value. */
  public List<Double> column(Metric m) {
    Double[] out = new Double[count];
    for (int i = 0; i < count; i++) {
      int k = i * Metric.COUNT + m.ordinal();
      out[i] = present[k] ? round(sums[k]) : null;
    }
    return Collections.unmodifiableList(Arrays.asList(out));
  }

  /** The newest slot's value of {@code m}, or NaN when it has none. */
  public double last(Metric m) {
    int k = (count - 1) * Metric.COUNT + m.ordinal();
    return count > 0 && present[k] ? sums[k] : Double.NaN;
  }

  /** Two decimals are enough for a chart and keep the JSON small (floats print as 12.340000152). */
  static double round(double v) {
    return Math.abs(v) >= 1e12 ? Math.rint(v) : Math.rint(v * 100) / 100;
  }
}

package io.berth.core.metrics;

import java.util.Arrays;

/**
 * A fixed window of samples at one interval, in primitive arrays only: slot {@code k} is the
 * interval {@code [k·interval, (k+1)·interval)} of epoch time, and index {@code k mod capacity}
 * holds it, so a new slot overwrites the one {@code capacity} slots older. A sample costs
 * {@code 4 × Metric.COUNT + 4} bytes (the floats and the slot it belongs to) whatever it holds.
 * {@code NaN} means "no value" (a rate before the second sample). Not thread-safe: its owner locks.
 */
public final class SeriesRing {
  private static final int EMPTY = Integer.MIN_VALUE;
  private final long intervalMillis;
  private final int capacity;
  private final long base;
  private final float[] values;
  private final int[] slots;
  private long newest = Long.MIN_VALUE;

  /** A ring of {@code capacity} slots of {@code intervalMillis}, whose first sample comes at about {@code startMillis}. */
  public SeriesRing(long intervalMillis, int capacity, long startMillis) {
    if (intervalMillis <= 0) throw new IllegalArgumentException("interval must be > 0 ms: " + intervalMillis);
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    this.intervalMillis = intervalMillis;
    this.capacity = capacity;
    this.base = Math.floorDiv(startMillis, intervalMillis) - capacity; // slots are kept as ints relative to this
    this.values = new float[capacity * Metric.COUNT];
    this.slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
  }

  public long intervalMillis() {
    return intervalMillis;
  }

  public int capacity() {
    return capacity;
  }

  /** The slot that holds time {@code epochMillis}. */
  public long slotOf(long epochMillis) {
    return Math.floorDiv(epochMillis, intervalMillis);
  }

  /**
   * Records a sample taken at {@code epochMillis} ({@code sample[m.ordinal()]}, NaN for none); a
   * second sample in the same slot replaces the first. A sample older than the window, or older
   * than the newest slot by the whole window, is ignored.
   */
  public void put(long epochMillis, float[] sample) {
    if (sample.length != Metric.COUNT) throw new IllegalArgumentException("a sample has " + Metric.COUNT + " values, not " + sample.length);
    long slot = slotOf(epochMillis);
    if (newest != Long.MIN_VALUE && slot <= newest - capacity) return;
    long rel = slot - base;
    if (rel < 0 || rel > Integer.MAX_VALUE - 1) return; // before this ring began, or some 680 years on
    int i = (int) Math.floorMod(slot, (long) capacity);
    slots[i] = (int) rel;
    System.arraycopy(sample, 0, values, i * Metric.COUNT, Metric.COUNT);
    newest = Math.max(newest, slot);
  }

  /** Copies the sample of {@code slot} into {@code into} and returns true, or returns false when the ring has none for it. */
  public boolean get(long slot, float[] into) {
    long rel = slot - base;
    int i = (int) Math.floorMod(slot, (long) capacity);
    if (rel < 0 || rel > Integer.MAX_VALUE || slots[i] != (int) rel) return false;
    System.arraycopy(values, i * Metric.COUNT, into, 0, Metric.COUNT);
    return true;
  }

  /** The newest slot holding a sample, or {@link Long#MIN_VALUE} when the ring is empty. */
  public long newestSlot() {
    return newest;
  }

  /** The heap this ring holds, in bytes (arrays' headers included, the ring's own fields not). */
  public long bytes() {
    return 16L + 4L * values.length + 16L + 4L * slots.length;
  }
}

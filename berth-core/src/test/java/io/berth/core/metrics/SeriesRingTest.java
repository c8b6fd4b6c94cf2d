package io.berth.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesRingTest {
  static final long T0 = 1_780_000_000_000L; // a slot boundary for 10 s

  static float[] sample(float cpu, float memory) {
    float[] s = new float[Metric.COUNT];
    Arrays.fill(s, Float.NaN);
    s[Metric.CPU_PERCENT.ordinal()] = cpu;
    s[Metric.MEMORY_BYTES.ordinal()] = memory;
    return s;
  }

  @Test
  void keepsTheLastCapacitySlotsAndForgetsOlderOnes() {
    SeriesRing ring = new SeriesRing(10_000, 360, T0);
    for (int i = 0; i < 400; i++) ring.put(T0 + i * 10_000L + 3_000, sample(i, 1000 + i));
    float[] into = new float[Metric.COUNT];
    long first = ring.slotOf(T0);
    assertThat(ring.get(first + 39, into)).as("overwritten by a slot 360 later").isFalse();
    assertThat(ring.get(first + 40, into)).isTrue();
    assertThat(into[Metric.CPU_PERCENT.ordinal()]).isEqualTo(40f);
    assertThat(ring.get(first + 399, into)).isTrue();
    assertThat(into[Metric.MEMORY_BYTES.ordinal()]).isEqualTo(1399f);
    assertThat(ring.get(first + 400, into)).as("not yet sampled").isFalse();
    assertThat(ring.newestSlot()).isEqualTo(first + 399);
  }

  @Test
  void aSecondSampleInOneSlotReplacesTheFirstAndTooOldSamplesAreIgnored() {
    SeriesRing ring = new SeriesRing(10_000, 6, T0);
    ring.put(T0 + 1_000, sample(1, 1));
    ring.put(T0 + 9_000, sample(2, 2));
    ring.put(T0 + 100_000, sample(3, 3));
    ring.put(T0 + 2_000, sample(9, 9)); // a whole window behind the newest: would overwrite a live slot
    float[] into = new float[Metric.COUNT];
    assertThat(ring.get(ring.slotOf(T0), into)).isTrue();
    assertThat(into[0]).isEqualTo(2f);
    assertThat(ring.get(ring.slotOf(T0 + 100_000), into)).isTrue();
    assertThat(into[0]).isEqualTo(3f);
  }

  @Test
  void costsFortyBytesPerSlotOrLess() {
    SeriesRing ring = new SeriesRing(10_000, 360, T0);
    assertThat(ring.bytes()).isLessThanOrEqualTo(360L * 4 * (Metric.COUNT + 1) + 32);
  }

  @Test
  void aWindowSumsRingsPerAlignedSlotAndLeavesGapsNull() {
    SeriesRing a = new SeriesRing(10_000, 360, T0);
    SeriesRing b = new SeriesRing(10_000, 360, T0);
    a.put(T0 + 10_000 + 1_000, sample(10, 100));
    b.put(T0 + 10_000 + 8_000, sample(5, 50)); // same slot, other time within it: aligned
    a.put(T0 + 20_000 + 500, sample(Float.NaN, 100)); // a first sample: no CPU rate yet
    b.put(T0 + 40_000, sample(7, 70));
    SeriesWindow w = new SeriesWindow(10_000, T0, T0 + 45_000);
    w.add(a);
    w.add(b);
    assertThat(w.times()).containsExactly(T0 + 10_000, T0 + 20_000, T0 + 30_000, T0 + 40_000);
    assertThat(w.column(Metric.CPU_PERCENT)).containsExactly(15.0, null, null, 7.0);
    assertThat(w.column(Metric.MEMORY_BYTES)).containsExactly(150.0, 100.0, null, 70.0);
    assertThat(w.column(Metric.PIDS)).containsExactly(null, null, null, null);
    assertThat(w.last(Metric.CPU_PERCENT)).isEqualTo(7.0);
  }

  @Test
  void aWindowOfAnHourAtTenSecondsHas360Slots() {
    SeriesWindow w = new SeriesWindow(10_000, T0 - 3_600_000, T0 + 5_000);
    assertThat(w.size()).isEqualTo(360);
    List<Long> t = w.times();
    assertThat(t.get(359)).isEqualTo(T0);
  }

  @Test
  void labelsNameTheAppVersionAndInstance() {
    ContainerLabels l = ContainerLabels.of(Map.of("io.berth.domain", "apps", "io.berth.process-guid", "my-app-v12",
        "io.berth.instance-guid", "g1", "io.berth.index", "2", "other", "x"));
    assertThat(l).isEqualTo(new ContainerLabels("my-app", 12, "g1", 2, ""));
    assertThat(ContainerLabels.of(Map.of("io.berth.process-guid", "my-app-v12")).isApp()).as("not in the apps domain").isFalse();
  }
}

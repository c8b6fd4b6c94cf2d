package io.berth.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
  private static final long NOW = 1_800_000_000_000L;

  /** {@code n} samples a minute apart ending now, {@code start + perMinute × i}, every {@code gap}-th missing. */
  private static Trend line(int n, double start, double perMinute, int gap) {
    List<Long> t = new ArrayList<>();
    List<Double> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.add(NOW - (n - 1 - i) * 60_000L);
      v.add(gap > 0 && i % gap == 0 ? null : start + perMinute * i);
    }
    return Trend.fit(t, v, NOW);
  }

  @Test
  void fitsAStraightLineExactly() {
    Trend t = line(60, 100, 2, 0);
    assertThat(t.samples()).isEqualTo(60);
    assertThat(t.perHour()).isCloseTo(120, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(t.atNow()).isCloseTo(218, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(t.fullIn(338).orElseThrow()).isEqualTo(Duration.ofHours(1));
    assertThat(t.says("memory reserved", 218 + 120 * 72)).isEqualTo("memory reserved full in ~3 d");
  }

  @Test
  void skipsMissingSamples() {
    Trend t = line(30, 0, 1, 3);
    assertThat(t.samples()).isEqualTo(20);
    assertThat(t.perHour()).isCloseTo(60, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void saysNoGrowthForAFlatOrFallingLine() {
    assertThat(line(20, 50, 0, 0).says("memory used", 100)).isEqualTo("no growth");
    assertThat(line(20, 50, -1, 0).fullIn(100)).isEmpty();
  }

  @Test
  void saysNotEnoughDataBelowTenSamples() {
    assertThat(line(9, 50, 5, 0).says("cpu used", 100)).isEqualTo("not enough data (9 of 10 samples)");
    assertThat(line(9, 50, 5, 0).fullIn(100)).isEmpty();
  }

  @Test
  void isFullNowWhenTheLineIsPastCapacity() {
    assertThat(line(20, 200, 1, 0).says("memory used", 100)).isEqualTo("memory used full now");
  }

  @Test
  void trendsOfNodesAddUp() {
    Trend sum = line(20, 10, 1, 0).plus(line(20, 20, 2, 0)).plus(Trend.fit(List.of(), List.of(), NOW));
    assertThat(sum.perHour()).isCloseTo(180, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(sum.samples()).isEqualTo(20);
  }
}

package io.berth.manager.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.metrics.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {
  static final long T0 = 1_780_000_000_000L;

  static MetricsBatch.Container app(String id, String app, int version, int index, double cpu, double memory) {
    return new MetricsBatch.Container(id, app + "-" + index, Map.of("io.berth.domain", "apps", "io.berth.process-guid", app + "-v" + version,
        "io.berth.index", Integer.toString(index), "io.berth.instance-guid", "g-" + id),
        new MetricsBatch.Values(cpu, memory, 64e6, 10.0, 20.0, 0.0, 0.0, 2.0));
  }

  static MetricsBatch batch(long at, MetricsBatch.Container... cs) {
    return new MetricsBatch(at, 10, 2, 4L << 30, new MetricsBatch.Values(1.0, 2.0, null, null, null, null, null, 3.0), List.of(cs));
  }

  @Test
  void anAppIsTheSumOfItsInstancesAcrossNodesPerAlignedSlot() {
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    h.accept("n1", batch(T0 + 5_000, app("a", "web", 1, 0, 10, 100)), T0 + 5_100);
    h.accept("n2", batch(T0 + 5_900, app("b", "web", 1, 1, 20, 200), app("x", "other", 1, 0, 99, 999)), T0 + 6_000);
    h.accept("n1", batch(T0 + 15_000, app("a", "web", 1, 0, 30, 100)), T0 + 15_100);
    h.accept("n2", batch(T0 + 25_000, app("c", "web", 2, 1, 1, 50)), T0 + 25_100);

    MetricsHistory.Window w = h.app("web", T0 - 1, T0 + 29_000, 10_000);
    assertThat(w.series().times()).containsExactly(T0, T0 + 10_000, T0 + 20_000);
    assertThat(w.series().column(Metric.CPU_PERCENT)).containsExactly(30.0, 30.0, 1.0);
    assertThat(w.series().column(Metric.MEMORY_BYTES)).containsExactly(300.0, 100.0, 50.0);
    assertThat(w.instances()).extracting(MetricsHistory.Instance::container).containsExactly("a", "b", "c");
    assertThat(w.instances().get(2)).isEqualTo(new MetricsHistory.Instance("c", "web-1", "web", 2, 1, "g-c", "n2", null));
  }

  @Test
  void aNodeKeepsItsTotalsCapacityAndContainers() {
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    h.accept("n1", batch(T0 + 5_000, app("a", "web", 1, 0, 10, 100), app("b", "web", 1, 1, 10, 100)), T0 + 5_000);
    h.accept("n1", batch(T0 + 15_000, app("a", "web", 1, 0, 10, 100)), T0 + 15_000);
    MetricsHistory.NodeWindow n = h.node("n1", T0 - 1, T0 + 19_000).orElseThrow();
    assertThat(n.cpus()).isEqualTo(2);
    assertThat(n.containers()).isEqualTo(1);
    assertThat(n.instances()).extracting(MetricsHistory.Instance::container).containsExactly("a");
    assertThat(n.series().column(Metric.PIDS)).containsExactly(3.0, 3.0);
    assertThat(n.series().column(Metric.NET_RX_BYTES_PER_SECOND)).containsExactly(null, null);
    assertThat(h.node("n2", T0, T0 + 19_000)).isEmpty();
  }

  @Test
  void containersGoneForLongerThanTheRetentionAreDroppedAndOnlyRunningOnesAreCurrent() {
    MetricsHistory h = new MetricsHistory(Duration.ofMinutes(5));
    h.accept("n1", batch(T0, app("old", "web", 1, 0, 1, 1)), T0);
    h.accept("n1", batch(T0 + 200_000, app("new", "web", 1, 0, 1, 1)), T0 + 200_000);
    assertThat(h.current(T0 + 200_000)).extracting(c -> c.instance().container()).containsExactly("new");
    assertThat(h.find("old")).isPresent();
    h.accept("n1", batch(T0 + 301_000, app("new", "web", 1, 0, 1, 1)), T0 + 301_000);
    assertThat(h.find("old")).isEmpty();
    assertThat(h.containerCount()).isEqualTo(1);
  }

  @Test
  void findsAContainerByIdPrefixOrNameButNotAnAmbiguousPrefix() {
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    h.accept("n1", batch(T0, app("abcd1111", "web", 1, 0, 1, 1), app("abcd2222", "web", 1, 1, 1, 1)), T0);
    assertThat(h.find("abcd1")).map(MetricsHistory.Instance::container).hasValue("abcd1111");
    assertThat(h.find("web-1")).map(MetricsHistory.Instance::container).hasValue("abcd2222");
    assertThat(h.find("abcd")).isEmpty();
  }

  @Test
  void aBatchWhoseClockIsFarOffIsFiledAtTheManagersTime() {
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    h.accept("n1", batch(T0 - 86_400_000L, app("a", "web", 1, 0, 5, 1)), T0 + 3_000);
    assertThat(h.container("a", T0 - 10_000, T0 + 5_000).orElseThrow().series().column(Metric.CPU_PERCENT)).containsExactly(5.0);
  }

  @Test
  void keepsAtMostItsCapOfContainersAndTakesNewOnesOnceOldOnesAreGone() {
    MetricsHistory h = new MetricsHistory(Duration.ofMinutes(1), 2);
    h.accept("n1", batch(T0, app("a", "web", 1, 0, 1, 1), app("b", "web", 1, 1, 1, 1), app("c", "web", 1, 2, 1, 1)), T0);
    assertThat(h.containerCount()).isEqualTo(2);
    assertThat(h.find("c")).isEmpty();
    h.accept("n1", batch(T0 + 61_000, app("c", "web", 1, 2, 1, 1)), T0 + 61_000);
    assertThat(h.find("c")).isPresent();
    assertThat(h.containerCount()).isEqualTo(1);
  }
}

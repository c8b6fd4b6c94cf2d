package io.berth.manager.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.scale.Load;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The autoscaler's view of the metrics: per-instance averages of the app's wanted instances only. */
class MetricsLoadsTest {
  private static final long T0 = 1_800_000_000_000L;

  private static MetricsBatch.Container instance(String app, int version, int index, double cpu, double memory) {
    return new MetricsBatch.Container(app + version + index, app + "-" + index, Map.of("io.berth.domain", "apps",
        "io.berth.process-guid", app + "-v" + version, "io.berth.index", Integer.toString(index), "io.berth.instance-guid", "g" + index),
        new MetricsBatch.Values(cpu, memory, 100e6, null, null, null, null, null));
  }

  @Test
  void averagesTheWantedInstancesOfTheCurrentVersion() {
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    h.accept("n1", new MetricsBatch(T0, 10, 2, 4L << 30, null, List.of(instance("web", 2, 0, 80, 50e6), instance("web", 2, 1, 40, 30e6),
        instance("web", 2, 2, 500, 90e6), instance("web", 1, 0, 500, 90e6), instance("other", 2, 0, 500, 90e6))), T0);
    TrafficNumbers traffic = (app, now) -> Optional.of(new TrafficNumbers.Traffic(120, 0, 5, now));
    Load l = new MetricsLoads(h, traffic).load("web", 2, 2, T0 + 1000); // index 2 is leaving, v1 is gone
    assertThat(l.measured()).isEqualTo(2);
    assertThat(l.cpuPercent()).isEqualTo(60);
    assertThat(l.memoryPercent()).isEqualTo(40);
    assertThat(l.requestsPerInstance()).isEqualTo(60);
    assertThat(new MetricsLoads(h, TrafficNumbers.NONE).load("web", 2, 2, T0).requestsPerInstance()).isNaN();
    assertThat(new MetricsLoads(h, traffic).load("none", 1, 2, T0)).isEqualTo(Load.NONE);
  }
}

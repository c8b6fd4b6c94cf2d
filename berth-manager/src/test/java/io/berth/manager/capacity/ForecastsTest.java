package io.berth.manager.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.id.NodeName;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.MovingClock;
import io.berth.manager.metrics.MetricsHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forecast's maths over a node whose reservations and use grow by a known step each minute. */
class ForecastsTest {
  private static final long GIB = 1L << 30;
  private static final long T0 = Instant.parse("2026-12-06T12:00:00Z").toEpochMilli();
  private final MetricsHistory history = new MetricsHistory(Duration.ofHours(1));
  private final List<NodeView.ContainerView> containers = new ArrayList<>();
  private final MovingClock clock = new MovingClock(Instant.ofEpochMilli(T0));

  private Forecasts forecasts() {

    return new Forecasts(() -> List.of(new NodeView(NodeName.of("n1"), "id", true, Map.of(), 4, 8 * GIB, containers, Set.of())),
        history, new ReservationRing(200), clock);
  }

  private static NodeView.ContainerView reserving(long memory) {
    return new NodeView.ContainerView("c" + memory, "c", "busybox", Map.of(), List.of(), true, memory, 0.5);
  }

  @Test
  void growingReservationsAndUseReachCapacityAtTheirTrend() {
    Forecasts f = forecasts();
    for (int i = 0; i < 30; i++) { // 30 minutes: one more 64 MiB container each minute, use up 32 MiB a minute
      containers.add(reserving(64L << 20));
      f.sample();
      MetricsBatch.Values node = new MetricsBatch.Values(100.0, (double) (GIB + i * (32L << 20)), null, null, null, null, null, null);
      history.accept("n1", new MetricsBatch(clock.millis(), 60, 4, 8 * GIB, node, List.of()), clock.millis());
      clock.advance(Duration.ofMinutes(1));
    }
    clock.advance(Duration.ofMinutes(-1));
    ForecastView v = f.view();
    ForecastView.Line reserved = v.nodes().get(0).memory().reserved();
    assertThat(reserved.samples()).isEqualTo(30);
    assertThat(reserved.perHour()).isEqualTo(60 * 64.0 * (1 << 20)); // 64 MiB a minute
    assertThat(reserved.fullInSeconds()).isEqualTo((8 * GIB - 30 * (64L << 20)) / (64L << 20) * 60);
    assertThat(reserved.says()).isEqualTo("memory reserved full in ~2 h"); // 98 minutes
    ForecastView.Line used = v.nodes().get(0).memory().used();
    assertThat(used.samples()).isEqualTo(30);
    assertThat(used.perHour()).isEqualTo(60 * 32.0 * (1 << 20));
    assertThat(v.nodes().get(0).cpu().used().says()).isEqualTo("no growth");
    assertThat(v.cluster().memory().capacity()).isEqualTo(8.0 * GIB);
    assertThat(v.cluster().memory().reserved().perHour()).isEqualTo(reserved.perHour());
    assertThat(v.windowSeconds()).isEqualTo(3600);
    assertThat(f.clusterMemoryFullIn()).contains(Duration.ofSeconds(reserved.fullInSeconds())); // reservations fill first
  }

  @Test
  void saysNotEnoughDataBelowTenSamplesAndNothingIsFull() {
    Forecasts f = forecasts();
    for (int i = 0; i < 9; i++) {
      containers.add(reserving(64L << 20));
      f.sample();
      clock.advance(Duration.ofSeconds(30));
    }
    ForecastView v = f.view();
    assertThat(v.cluster().memory().reserved().says()).isEqualTo("not enough data (9 of 10 samples)");
    assertThat(v.cluster().memory().used().says()).isEqualTo("not enough data (0 of 10 samples)");
    assertThat(f.clusterMemoryFullIn()).isEmpty();
  }
}

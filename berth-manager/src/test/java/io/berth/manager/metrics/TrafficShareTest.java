package io.berth.manager.metrics;

import static io.berth.manager.metrics.RouterTrafficTest.ROUTES;
import static io.berth.manager.metrics.RouterTrafficTest.T0;
import static io.berth.manager.metrics.RouterTrafficTest.domain;
import static io.berth.manager.metrics.RouterTrafficTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.TestStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two managers on one store: a router's window taken by one is counted by the other, once. */
class TrafficShareTest {
  @RegisterExtension final TestStore store = new TestStore();
  final AtomicLong now = new AtomicLong(T0);
  final RouterTraffic a = new RouterTraffic(Duration.ofHours(1));
  final RouterTraffic b = new RouterTraffic(Duration.ofHours(1));

  @Test
  void aWindowOneManagerTookIsCountedByTheOtherOnceAndLeavesWithItsLease() {
    TrafficShare shareA = new TrafficShare(store.get(), a, group -> ROUTES, now::get);
    TrafficShare shareB = new TrafficShare(store.get(), b, group -> ROUTES, now::get);
    var window = report("r1", T0, domain("hello.test", 50, 0, 50, 2));
    a.accept(window, ROUTES, T0);
    shareA.publish(window);

    now.set(T0 + 1_000);
    shareB.pass();
    shareB.pass();
    shareA.pass(); // its own window, read back: not taken twice
    for (RouterTraffic m : List.of(a, b)) {
      assertThat(m.latest("hello", T0 + 1_000).orElseThrow().requestsPerSecond()).isEqualTo(10.0);
      assertThat(m.columns("hello", List.of(T0 - 5_000), 5_000).requests()).containsExactly(10.0);
    }
    assertThat(store.get().range(TrafficShare.PREFIX, 10).items()).singleElement()
        .satisfies(kv -> assertThat(kv.key()).isEqualTo("/berth/traffic/default/r1"));
  }
}

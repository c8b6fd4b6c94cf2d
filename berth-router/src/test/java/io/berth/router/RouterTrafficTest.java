package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.TrafficReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A router's traffic reports to a fake manager: what nginx answered, per domain, every window. */
class RouterTrafficTest {
  @TempDir Path dir;
  final Backend a = new Backend("A");
  FakeManager manager;
  Router router;

  @AfterEach
  void tearDown() {
    if (router != null) router.close();
    if (manager != null) manager.close();
    a.close();
  }

  private void start(RouteTable first) {
    manager = new FakeManager(0, first);
    router = Router.start(new RouterConfig("http://127.0.0.1:" + manager.port(), FakeManager.TOKEN, "default", "127.0.0.1", 0, dir,
        RouterConfig.DEFAULT_NGINX, "test-router", 0, "1", Duration.ofMillis(300), Duration.ofSeconds(30)), Clock.systemUTC(),
        Duration.ofMillis(200));
    await().atMost(Duration.ofSeconds(10)).until(() -> manager.latest() != null && manager.latest().appliedRevision() == first.revision());
  }

  private long reported(String domain) {
    return manager.traffic.stream().flatMap(r -> r.domains().stream()).filter(d -> d.domain().equals(domain))
        .mapToLong(TrafficReport.Domain::requests).sum();
  }

  @Test
  void reportsEachWindowsRequestsPerDomainOfItsLiveConfig() {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")), domain("quiet.test", "q")));
    for (int i = 0; i < 7; i++) Http.get(router.listenPort(), "a.test");
    await().atMost(Duration.ofSeconds(5)).until(() -> reported("a.test") == 7);
    TrafficReport last = manager.traffic.get(manager.traffic.size() - 1);
    assertThat(last.id()).isEqualTo("test-router");
    assertThat(last.group()).isEqualTo("default");
    assertThat(last.domains()).extracting(TrafficReport.Domain::domain).contains("a.test", "quiet.test");
  }

  @Test
  void aManagerWithoutTheTrafficRouteIsNotSentNumbersAgain() throws Exception {
    manager = null;
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    manager.trafficRoute = false;
    int before = manager.statuses.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> manager.statuses.size() >= before + 2); // the router goes on reporting its status
    int calls = manager.trafficCalls.get();
    Thread.sleep(1000); // five windows
    assertThat(manager.trafficCalls.get()).isLessThanOrEqualTo(calls + 1); // at most the call that was in flight
    assertThat(Http.get(router.listenPort(), "a.test").status()).isEqualTo(200);
  }
}

package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.cluster.wire.TrafficReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A router on the real nginx against a fake manager and three tiny backends; traffic windows of 200 ms. */
class RouterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;
  final Backend a = new Backend("A");
  final Backend b = new Backend("B");
  final Backend c = new Backend("C");
  FakeManager manager;
  Router router;

  @AfterEach
  void tearDown() {
    if (router != null) router.close();
    if (manager != null) manager.close();
    a.close();
    b.close();
    c.close();
  }

  private Router start(RouteTable first) {
    manager = new FakeManager(0, first);
    router = Router.start(new RouterConfig("http://127.0.0.1:" + manager.port(), FakeManager.TOKEN, "default", "127.0.0.1", 0, dir,
        RouterConfig.DEFAULT_NGINX, "test-router", 0, "1", Duration.ofMillis(300), Duration.ofSeconds(30)), Clock.systemUTC(),
        Duration.ofMillis(200));
    return router;
  }

  private RouterStatus awaitStatus(Predicate<RouterStatus> p) {
    return await().atMost(WAIT).until(() -> manager.statuses.stream().filter(p).findFirst().orElse(null), s -> s != null);
  }

  private String get(String host) {
    return Http.get(router.listenPort(), host).body();
  }

  @Test
  void routesByHostAnswers404ForAnUnknownHostAnd503ForADomainWithNoInstances() {
    start(table(5, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")),
        domain("b.test", "beta", upstream("127.0.0.1", b.port(), "gb"), upstream("127.0.0.1", c.port(), "gc")),
        domain("empty.test", "shop")));
    RouterStatus s = awaitStatus(x -> x.appliedRevision() == 5);
    assertThat(s).extracting(RouterStatus::id, RouterStatus::group, RouterStatus::listen, RouterStatus::configOk, RouterStatus::error)
        .containsExactly("test-router", "default", "127.0.0.1:" + router.listenPort(), true, "");
    assertThat(s.instances()).containsExactly("ga", "gb", "gc");
    assertThat(manager.polls.get(0)).isEqualTo("group=default&after=0&wait=30s&managers=true");

    assertThat(get("a.test")).isEqualTo("A host=a.test\n");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) seen.add(get("b.test"));
    assertThat(seen).containsExactlyInAnyOrder("B host=b.test\n", "C host=b.test\n");
    assertThat(Http.get(router.listenPort(), "nobody.test")).isEqualTo(new Http.Answer(404, "no app serves this host\n"));
    assertThat(Http.get(router.listenPort(), "empty.test")).isEqualTo(new Http.Answer(503, "no healthy instance of shop\n"));
  }

  @Test
  void aNewTableMovesTrafficAndTheStatusNamesNewInstancesOnlyOnceTheyServe() {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    awaitStatus(x -> x.appliedRevision() == 1);
    record Seen(List<String> instances, String served) {}
    List<Seen> seen = new CopyOnWriteArrayList<>();
    manager.onStatus = s -> seen.add(new Seen(s.instances(), get("a.test")));

    manager.publish(table(2, domain("a.test", "alpha", upstream("127.0.0.1", b.port(), "gb"))));
    RouterStatus s = awaitStatus(x -> x.appliedRevision() == 2);
    assertThat(s.instances()).containsExactly("gb");
    assertThat(get("a.test")).isEqualTo("B host=a.test\n");
    assertThat(seen).filteredOn(x -> x.instances().contains("gb")).isNotEmpty()
        .allSatisfy(x -> assertThat(x.served()).isEqualTo("B host=a.test\n"));
  }

  @Test
  void aNewRevisionOfTheSameRoutesIsTakenWithoutAReload() {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    awaitStatus(x -> x.appliedRevision() == 1);
    assertThat(router.reloads()).isEqualTo(1);

    // Other writes moved the store's revision: a poll that timed out answers the same routes at a new one.
    manager.publish(table(7, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    RouterStatus s = awaitStatus(x -> x.appliedRevision() == 7);
    assertThat(s.instances()).containsExactly("ga");
    assertThat(s.configOk()).isTrue();
    assertThat(router.reloads()).isEqualTo(1);
    assertThat(get("a.test")).isEqualTo("A host=a.test\n");

    manager.publish(table(8, domain("a.test", "alpha", upstream("127.0.0.1", b.port(), "gb"))));
    awaitStatus(x -> x.appliedRevision() == 8);
    assertThat(router.reloads()).isEqualTo(2);
    assertThat(get("a.test")).isEqualTo("B host=a.test\n");
  }

  @Test
  void aTableNginxRefusesIsReportedWhileTheOldRoutesKeepServing() {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    awaitStatus(x -> x.appliedRevision() == 1);

    manager.publish(table(2, domain("a.test", "alpha", upstream("no-such-host.invalid", 80, "gx"))));
    RouterStatus bad = awaitStatus(x -> !x.configOk());
    assertThat(bad.error()).startsWith("host not found in upstream \"no-such-host.invalid:80\"");
    assertThat(bad.appliedRevision()).isEqualTo(1);
    assertThat(bad.instances()).containsExactly("ga");
    assertThat(get("a.test")).isEqualTo("A host=a.test\n");

    manager.publish(table(3, domain("a.test", "alpha", upstream("127.0.0.1", b.port(), "gb")),
        domain("bad name.test", "x", upstream("127.0.0.1", c.port(), "gc"))));
    RouterStatus good = awaitStatus(x -> x.appliedRevision() == 3);
    assertThat(good.configOk()).isTrue();
    assertThat(good.error()).isEqualTo("left out: domain 'bad name.test' is not a host name; left out");
    assertThat(good.instances()).containsExactly("gb");
    assertThat(get("a.test")).isEqualTo("B host=a.test\n");
  }

  @Test
  void aLostManagerLeavesTheRoutesServingAndOneBackIsFollowedAgain() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ch.qos.logback.classic.Logger routerLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Router.class);
    routerLog.addAppender(logs);
    try {
      start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
      awaitStatus(x -> x.appliedRevision() == 1);
      int port = manager.port();
      manager.close();
      for (int i = 0; i < 10; i++) {
        assertThat(get("a.test")).isEqualTo("A host=a.test\n");
        Thread.sleep(250); // the router retries meanwhile, several times
      }
      manager = new FakeManager(port, table(2, domain("a.test", "alpha", upstream("127.0.0.1", b.port(), "gb"))));
      awaitStatus(x -> x.appliedRevision() == 2);
      assertThat(get("a.test")).isEqualTo("B host=a.test\n");
      List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).filteredOn(l -> l.startsWith("router-manager-unreachable")).hasSize(1)
          .first().asString().contains("nginx keeps serving revision 1");
      assertThat(lines).filteredOn(l -> l.startsWith("router-manager-back")).hasSize(1);
    } finally {
      routerLog.detachAppender(logs);
    }
  }

  @Test
  void postsItsStatusAsAHeartbeatWhenNothingChanges() {
    start(table(1));
    awaitStatus(x -> x.appliedRevision() == 1);
    int before = manager.statuses.size();
    await().atMost(WAIT).until(() -> manager.statuses.size() >= before + 3);
    assertThat(manager.latest().appliedRevision()).isEqualTo(1);
  }

  private long reported(String domain) {
    return manager.traffic.stream().flatMap(r -> r.domains().stream()).filter(d -> d.domain().equals(domain))
        .mapToLong(TrafficReport.Domain::requests).sum();
  }

  @Test
  void reportsEachWindowsRequestsPerDomainOfItsLiveConfig() {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")), domain("quiet.test", "q")));
    awaitStatus(x -> x.appliedRevision() == 1);
    for (int i = 0; i < 7; i++) Http.get(router.listenPort(), "a.test");
    await().atMost(Duration.ofSeconds(5)).until(() -> reported("a.test") == 7);
    TrafficReport last = manager.traffic.get(manager.traffic.size() - 1);
    assertThat(last.id()).isEqualTo("test-router");
    assertThat(last.group()).isEqualTo("default");
    assertThat(last.domains()).extracting(TrafficReport.Domain::domain).contains("a.test", "quiet.test");
  }

  @Test
  void aManagerWithoutTheTrafficRouteIsNotSentNumbersAgain() throws Exception {
    start(table(1, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga"))));
    awaitStatus(x -> x.appliedRevision() == 1);
    manager.trafficRoute = false;
    int before = manager.statuses.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> manager.statuses.size() >= before + 2); // the router goes on reporting its status
    int calls = manager.trafficCalls.get();
    Thread.sleep(1000); // five windows
    assertThat(manager.trafficCalls.get()).isLessThanOrEqualTo(calls + 1); // at most the call that was in flight
    assertThat(Http.get(router.listenPort(), "a.test").status()).isEqualTo(200);
  }
}

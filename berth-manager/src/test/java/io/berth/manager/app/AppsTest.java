package io.berth.manager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.Rollout;
import io.berth.core.error.BerthException;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.PortMapping;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.activity.Activity;
import io.berth.manager.lrp.Lrps;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps over a real (SQLite) store and the real LRP machinery, with the agents played by the test:
 * it reports instances RUNNING or CRASHED, and plays a router that reports what it routes.
 */
class AppsTest {
  @TempDir Path dir;
  StateStore raw;
  Lrps lrps;
  Apps apps;
  AppService service;
  final List<NodeView> nodes = new ArrayList<>();
  /** What the fake router routes: it follows the published table at once unless frozen. */
  volatile boolean routerFrozen;
  final Set<String> crashing = new HashSet<>();

  @BeforeEach
  void start() {
    raw = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    for (String n : List.of("n1", "n2", "n3")) {
      nodes.add(new NodeView(n, n, true, Map.of(), 4, 4L << 30, List.of(), Set.of("berth/busybox:1")));
      raw.put(Keys.health(n), new byte[0]);
    }
    startManager();
  }

  void startManager() {
    Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
    lrps = Lrps.start(raw, Clock.systemUTC(), scheduler, () -> List.copyOf(nodes), n -> "127.0.0.1" + n.substring(1),
        Duration.ofMillis(200));
    apps = Apps.start(raw, Clock.systemUTC(), lrps, new Activity(raw, Clock.systemUTC()), () -> List.copyOf(nodes), true);
    service = apps.service();
  }

  void stopManager() {
    apps.close();
    lrps.close();
  }

  @AfterEach
  void stop() {
    stopManager();
    raw.close();
  }

  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080", -h, /www]
      instances: 3
      memory: 64m
      env: {GREETING: hi}
      ports: [8080]
      health: {http: /, port: 8080, interval: 2s, timeout: 1s, start_timeout: 60s}
      routes: [hello.berth.local]
      deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 0s}
      """;

  /** Plays every agent and the router once: claimed instances run (or crash), and the router follows the table. */
  void agentsAndRouter() {
    for (ActualLrp a : lrps.service().actuals(Optional.empty())) {
      if (a.state() != ActualState.CLAIMED) continue;
      String state = crashing.contains(a.processGuid().value()) ? InstanceReport.CRASHED : InstanceReport.RUNNING;
      lrps.report(a.cellId().value(), List.of(new InstanceReport(Assignment.LRP, a.instanceGuid().value(), a.processGuid().value(), a.index(), state,
          state.equals(InstanceReport.RUNNING) ? List.of(new PortMapping(8080, 61000 + a.index())) : List.of(),
          state.equals(InstanceReport.RUNNING) ? "" : "failed health check", false, "")));
    }
    if (!routerFrozen) routerFollows();
  }

  void routerFollows() {
    List<String> guids = new ArrayList<>();
    for (var kv : raw.range(Keys.SLB + "default/domains/", 0).items()) {
      for (RouteTable.Upstream u : Json.read(kv.value(), RouteTable.Domain.class).upstreams()) guids.add(u.instanceGuid());
    }
    new AppStore(raw).routerReport(new RouterStatus("r1", "default", "127.0.0.1:80", raw.revision(), true, "", guids, Instant.now()));
  }

  App settle(String name) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      agentsAndRouter();
      App a = service.get(name);
      return a.rollout() != null && (a.rollout().phase().over() || a.rollout().phase() == Rollout.Phase.CANARY);
    });
    return service.get(name);
  }

  List<RouteTable.Upstream> routes(String domain) {
    return raw.get(Keys.route("default", domain)).map(kv -> Json.read(kv.value(), RouteTable.Domain.class).upstreams())
        .orElse(List.of());
  }

  Map<Integer, Long> runningByVersion(String app) {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    for (ActualLrp a : lrps.service().actuals(Optional.empty())) {
      if (a.processGuid().value().startsWith(app + "-v") && a.state() == ActualState.RUNNING) {
        out.merge(Integer.parseInt(a.processGuid().value().substring(app.length() + 2)), 1L, Long::sum);
      }
    }
    return out;
  }

  @Test
  void aFirstDeployRunsTheInstancesAndPublishesTheirRoutes() {
    service.deploy(HELLO, "admin", false);
    App app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    assertThat(app.rollout().message()).isEqualTo("v1 has 3 of 3 instances healthy");
    assertThat(lrps.service().desired(new ProcessGuid("hello-v1")).instances()).isEqualTo(3);
    await().untilAsserted(() -> assertThat(routes("hello.berth.local")).hasSize(3)
        .allSatisfy(u -> assertThat(u.processGuid()).isEqualTo("hello-v1")));
    assertThat(service.events("hello", 10)).extracting(AppEvent::outcome).containsExactly("started", "succeeded");
  }

  @Test
  void eachRouterGroupGetsOnlyItsAppsDomains() throws Exception {
    service.deploy(HELLO, "admin", false);
    service.deploy(HELLO.replace("name: hello", "name: intra").replace("hello.berth.local", "intra.corp.local")
        + "router_group: internal\n", "admin", false);
    settle("hello");
    settle("intra");
    await().untilAsserted(() -> {
      assertThat(raw.range(Keys.SLB + "default/domains/", 0).items()).extracting(kv -> kv.key())
          .containsExactly(Keys.route("default", "hello.berth.local"));
      assertThat(raw.range(Keys.SLB + "internal/domains/", 0).items()).extracting(kv -> kv.key())
          .containsExactly(Keys.route("internal", "intra.corp.local"));
    });
    RouteTable internal = AppStore.decode("internal", new AppStore(raw).table("internal"));
    assertThat(internal.domains()).singleElement().satisfies(d -> {
      assertThat(d.app()).isEqualTo("intra");
      assertThat(d.upstreams()).hasSize(3).allSatisfy(u -> assertThat(u.processGuid()).isEqualTo("intra-v1"));
    });
  }

  @Test
  void aRollingDeployNeverHasFewerThanTheTargetInTrafficAndStopsOnlyWhatLeftTheRoutes() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {GREETING: hello}\n", "admin", false);
    List<Integer> routedCounts = new ArrayList<>();
    Set<String> everRouted = new HashSet<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(30)).until(() -> {
      agentsAndRouter();
      List<RouteTable.Upstream> r = routes("hello.berth.local");
      routedCounts.add(r.size());
      r.forEach(u -> everRouted.add(u.instanceGuid()));
      // An instance the router routes to is never stopped: each routed guid is still RUNNING.
      Set<String> running = new HashSet<>();
      for (ActualLrp a : lrps.service().actuals(Optional.empty())) if (a.state() == ActualState.RUNNING) running.add(a.instanceGuid().value());
      for (RouterStatus s : new AppStore(raw).routers()) assertThat(running).containsAll(s.instances());
      return service.get("hello").rollout().phase().over();
    });
    App app = service.get("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    assertThat(app.rollout().to()).isEqualTo(2);
    assertThat(routedCounts).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
    assertThat(app.live()).extracting(App.Live::version).containsExactly(2);
    await().untilAsserted(() -> assertThat(runningByVersion("hello")).isEqualTo(Map.of(2, 3L)));
    assertThat(service.versions("hello")).hasSize(2);
    assertThat(service.version("hello", 2).manifest().env()).containsEntry("GREETING", "hello");
    assertThat(service.version("hello", 2).manifest().routes()).containsExactly("hello.berth.local"); // kept from v1
    assertThat(service.version("hello", 2).note()).isEqualTo("env");
  }

  @Test
  void anInstanceStaysRunningWhileARouterStillSendsItTraffic() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    routerFrozen = true; // the router keeps its old config
    service.scale("hello", 1, "admin");
    for (int i = 0; i < 20; i++) {
      agentsAndRouter();
      sleep(50);
    }
    assertThat(routes("hello.berth.local")).hasSize(1); // the table let go of them at once...
    assertThat(lrps.service().desired(new ProcessGuid("hello-v1")).instances()).isEqualTo(3); // ...but they still run
    routerFrozen = false;
    App app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    assertThat(lrps.service().desired(new ProcessGuid("hello-v1")).instances()).isEqualTo(1);
  }

  @Test
  void aDrainedNodesInstanceStopsOnlyOnceTheRouterMovedToItsReplacement() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    ActualLrp onN1 = lrps.service().actuals(new ProcessGuid("hello-v1")).stream().filter(a -> a.cellId().value().equals("n1")).findFirst().orElseThrow();
    routerFrozen = true;
    lrps.service().drain("n1", true);
    nodes.removeIf(n -> n.name().equals("n1")); // nothing new lands there
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      agentsAndRouter();
      ActualLrp slot = lrps.service().actual(new ProcessGuid("hello-v1"), onN1.index());
      assertThat(slot.state()).isEqualTo(ActualState.RUNNING);
      assertThat(slot.cellId().value()).isNotEqualTo("n1");
    });
    for (int i = 0; i < 10; i++) {
      agentsAndRouter();
      sleep(50);
    }
    // The replacement runs, but the (frozen) router still sends the evacuee traffic: it keeps running.
    assertThat(lrps.service().evacuees()).extracting(ActualLrp::instanceGuid).containsExactly(onN1.instanceGuid());
    assertThat(routes("hello.berth.local")).extracting(RouteTable.Upstream::instanceGuid).doesNotContain(onN1.instanceGuid().value());
    routerFrozen = false;
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      agentsAndRouter();
      assertThat(lrps.service().evacuees()).isEmpty();
    });
  }

  @Test
  void aVersionWhoseInstancesCrashRollsBackByItself() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    crashing.add("hello-v2");
    service.deploy("name: hello\nimage: berth/busybox:1\ncommand: [false]\n", "admin", false);
    App app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.FAILED);
    assertThat(app.rollout().message()).startsWith("v2 instances crashed 2 times (failed health check)").endsWith("rolled back to v1");
    assertThat(app.current()).isEqualTo(1);
    await().untilAsserted(() -> {
      agentsAndRouter();
      assertThat(service.get("hello").live()).extracting(App.Live::version).containsExactly(1);
      assertThat(routes("hello.berth.local")).hasSize(3).allSatisfy(u -> assertThat(u.processGuid()).isEqualTo("hello-v1"));
    });
    assertThat(service.events("hello", 10)).extracting(AppEvent::outcome).endsWith("started", "failed");
  }

  @Test
  void aCanaryWaitsBesideTheOldVersionThenPromoteFinishesAndAbortGoesBack() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {V: '2'}\ndeploy: {strategy: canary, canaries: 1}\n", "admin", false);
    App app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.CANARY);
    await().untilAsserted(() -> assertThat(routes("hello.berth.local")).hasSize(4));
    assertThatThrownBy(() -> service.deploy(HELLO, "admin", false)).isInstanceOf(BerthException.Conflict.class)
        .hasMessageContaining("berth app promote hello or berth app abort hello");
    service.promote("hello", "admin");
    app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    assertThat(app.rollout().action()).isEqualTo("promote");
    await().untilAsserted(() -> assertThat(runningByVersion("hello")).isEqualTo(Map.of(2, 3L)));

    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {V: '3'}\ndeploy: {strategy: canary, canaries: 2}\n", "admin", false);
    assertThat(settle("hello").rollout().phase()).isEqualTo(Rollout.Phase.CANARY);
    app = service.abort("hello", "admin");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.ABORTED);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      agentsAndRouter();
      assertThat(service.get("hello").live()).extracting(App.Live::version).containsExactly(2);
      assertThat(runningByVersion("hello")).isEqualTo(Map.of(2, 3L));
    });
  }

  @Test
  void blueGreenSwitchesAllTrafficAtOnceWhenTheNewInstancesAreHealthy() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {V: '2'}\ndeploy: {strategy: blue-green}\n", "admin", false);
    Set<String> seenMixes = new HashSet<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      agentsAndRouter();
      Set<String> versions = new java.util.TreeSet<>();
      routes("hello.berth.local").forEach(u -> versions.add(u.processGuid()));
      seenMixes.add(String.join(",", versions));
      return service.get("hello").rollout().phase().over();
    });
    assertThat(seenMixes).doesNotContain("hello-v1,hello-v2"); // never both at once
    assertThat(service.get("hello").rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    await().untilAsserted(() -> assertThat(runningByVersion("hello")).isEqualTo(Map.of(2, 3L)));
  }

  @Test
  void rollbackGoesToThePreviousVersionAndHistoryKeepsEveryVersion() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {V: '2'}\n", "admin", false);
    settle("hello");
    service.rollback("hello", Optional.empty(), "admin");
    App app = settle("hello");
    assertThat(app.rollout().action()).isEqualTo("rollback");
    assertThat(app.current()).isEqualTo(1);
    assertThat(service.versions("hello")).extracting(v -> v.version()).containsExactly(1, 2);
    assertThatThrownBy(() -> service.rollback("hello", Optional.of(1), "admin")).hasMessageContaining("already runs v1");
    assertThatThrownBy(() -> service.rollback("hello", Optional.of(7), "admin")).hasMessageContaining("no version v7");
  }

  @Test
  void aDeployInterruptedByAManagerRestartContinues() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.deploy("name: hello\nimage: berth/busybox:1\nenv: {V: '2'}\n", "admin", false);
    for (int i = 0; i < 6; i++) {
      agentsAndRouter();
      sleep(50);
    }
    stopManager();
    startManager();
    App app = settle("hello");
    assertThat(app.rollout().phase()).isEqualTo(Rollout.Phase.SUCCEEDED);
    await().untilAsserted(() -> assertThat(runningByVersion("hello")).isEqualTo(Map.of(2, 3L)));
  }

  @Test
  void removingAnAppStopsItsInstancesAndForgetsIt() {
    service.deploy(HELLO, "admin", false);
    settle("hello");
    service.remove("hello", "admin");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      agentsAndRouter();
      assertThat(service.list()).isEmpty();
    });
    assertThat(lrps.service().desired(Optional.empty())).isEmpty();
    assertThat(routes("hello.berth.local")).isEmpty();
    assertThatThrownBy(() -> service.get("hello")).hasMessage("no app named hello");
  }

  @Test
  void badManifestsAreRefusedNamingTheFieldAndChangeNothing() {
    assertThatThrownBy(() -> service.deploy(HELLO.replace("instances: 3", "replicas: 3"), "admin", false))
        .hasMessageStartingWith("unknown field 'replicas' (line 4)");
    assertThatThrownBy(() -> service.deploy(HELLO.replace("interval: 2s", "interval: soon"), "admin", false))
        .hasMessageContaining("health.interval: invalid duration 'soon'");
    assertThatThrownBy(() -> service.deploy(HELLO.replace("port: 8080, interval", "port: 9090, interval"), "admin", false))
        .hasMessageContaining("health.port: 9090 is not in ports [8080]");
    assertThatThrownBy(() -> service.deploy(HELLO.replace("berth/busybox:1", "berth/nothing:9"), "admin", false))
        .hasMessageContaining("image: berth/nothing:9 is on no node");
    assertThatThrownBy(() -> service.deploy(HELLO.replace("max_surge: 1", "max_surge: 0"), "admin", false))
        .hasMessageContaining("max_surge and max_unavailable cannot both be 0");
    assertThat(service.list()).isEmpty();
    service.deploy(HELLO, "admin", false);
    assertThatThrownBy(() -> service.deploy(HELLO.replace("name: hello", "name: other"), "admin", false))
        .isInstanceOf(BerthException.Conflict.class).hasMessage("routes[0]: hello.berth.local is served by app hello (remove it there first)");
    assertThat(service.list()).extracting(App::name).containsExactly("hello");
    assertThat(service.versions("hello")).hasSize(1);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}

package io.berth.manager.app;

import static org.awaitility.Awaitility.await;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.Rollout;
import io.berth.core.id.NodeName;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.PortMapping;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps over a real (SQLite) store and the real LRP machinery, with the agents played by the test:
 * it reports instances RUNNING or CRASHED, and plays a router that reports what it routes.
 */
abstract class AppsScenario {
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
      nodes.add(new NodeView(NodeName.of(n), n, true, Map.of(), 4, 4L << 30, List.of(), Set.of("berth/busybox:1")));
      raw.put(Keys.health(n), new byte[0]);
    }
    startManager();
  }

  /** What the manager's singletons run on: here always the leader, unfenced. */
  Singletons leader() {
    return Singletons.always(raw);
  }

  void startManager() {
    Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
    lrps = Lrps.start(raw, leader(), Clock.systemUTC(), scheduler, () -> List.copyOf(nodes), n -> "127.0.0.1" + n.value().substring(1),
        Duration.ofMillis(200));
    apps = Apps.start(raw, leader(), Clock.systemUTC(), lrps, new Activity(raw, Clock.systemUTC()), () -> List.copyOf(nodes), true);
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
    Map<Integer, Long> out = new TreeMap<>();
    for (ActualLrp a : lrps.service().actuals(Optional.empty())) {
      if (a.processGuid().value().startsWith(app + "-v") && a.state() == ActualState.RUNNING) {
        out.merge(Integer.parseInt(a.processGuid().value().substring(app.length() + 2)), 1L, Long::sum);
      }
    }
    return out;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }
}

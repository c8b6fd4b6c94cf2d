package io.berth.manager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.Rollout;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Apps' instances and routes: a deploy runs and publishes them, and nothing in traffic stops before the routers let go. */
class AppsTest extends AppsScenario {
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
    // The rollout can succeed in the pass that publishes the routes, before the router followed them:
    // the router must send the n1 instance traffic before it freezes, or there is nothing to hold it.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      agentsAndRouter();
      return routes("hello.berth.local").stream().anyMatch(u -> u.instanceGuid().equals(onN1.instanceGuid().value()));
    });
    routerFollows();
    routerFrozen = true;
    lrps.service().drain("n1", true);
    nodes.removeIf(n -> n.name().value().equals("n1")); // nothing new lands there
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
}

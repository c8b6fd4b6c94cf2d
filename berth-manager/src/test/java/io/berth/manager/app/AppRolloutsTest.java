package io.berth.manager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.Rollout;
import io.berth.core.error.BerthException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Rollouts by their strategies (canary, blue-green), rollbacks, restarts mid-deploy, removal and refused manifests. */
class AppRolloutsTest extends AppsScenario {
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
      Set<String> versions = new TreeSet<>();
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
}

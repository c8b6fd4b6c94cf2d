package io.berth.core.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
  static final long S = 1_000_000_000L;
  static final long NOW = 1_000_000 * S;

  static DesiredLrp desired(String guid, int instances) {
    return new DesiredLrp(guid, "d", "docker:///berth/busybox#1", instances, List.of(), 0, 0, 64, false, null,
        new Action.Run("/bin/sleep", List.of("600"), null, null, null, "root", null), null, null, 0, List.of(8080), Map.of(),
        null, null, null, null, List.of(), new ModificationTag("e", 0));
  }

  static ActualLrp actual(String guid, int index, ActualState state, String cell) {
    ActualLrp a = ActualLrp.unclaimed(guid, index, "d", NOW - 100 * S, "e");
    return switch (state) {
      case UNCLAIMED -> a;
      case CLAIMED -> a.claim(cell, "g" + index, NOW - 50 * S);
      case RUNNING -> a.claim(cell, "g" + index, NOW - 50 * S).running("127.0.0.1", List.of(), NOW - 40 * S);
      case CRASHED -> a.claim(cell, "g" + index, NOW - 50 * S).crashed("exited with status 1", NOW - 10 * S, RestartPolicy.DIEGO);
    };
  }

  static Convergence.Result plan(List<DesiredLrp> desired, List<ActualLrp> actuals, Set<String> fresh, Set<String> cells) {
    Map<String, DesiredLrp> byGuid = new java.util.HashMap<>();
    for (DesiredLrp d : desired) byGuid.put(d.processGuid(), d);
    Set<String> assigned = new java.util.HashSet<>();
    for (ActualLrp a : actuals) assigned.add(a.instanceGuid());
    return Convergence.plan(new Convergence.Snapshot(byGuid, actuals, fresh, cells, assigned), NOW, RestartPolicy.DIEGO, "e2");
  }

  @Test
  void createsAndPlacesEveryMissingIndex() {
    Convergence.Result r = plan(List.of(desired("web", 3)), List.of(actual("web", 1, ActualState.RUNNING, "n1")), Set.of(), Set.of("n1"));
    assertThat(r.changes()).hasSize(2).allMatch(c -> c instanceof Convergence.Create);
    assertThat(r.toPlace()).containsExactly(new LrpKey("web", 0), new LrpKey("web", 2));
  }

  @Test
  void instancesOfALostCellAreUnclaimedAndPlacedAgain() {
    Convergence.Result r = plan(List.of(desired("web", 2)),
        List.of(actual("web", 0, ActualState.RUNNING, "n1"), actual("web", 1, ActualState.CLAIMED, "n2")), Set.of(), Set.of("n1"));
    assertThat(r.changes()).singleElement().isInstanceOfSatisfying(Convergence.Unclaim.class,
        u -> assertThat(u.reason()).isEqualTo("cell n2 is lost"));
    assertThat(r.toPlace()).containsExactly(new LrpKey("web", 1));
  }

  @Test
  void aClaimWhoseAssignmentNeverCameIsClaimedAgainAfterTheGrace() {
    ActualLrp claimed = actual("web", 0, ActualState.CLAIMED, "n1");
    Map<String, DesiredLrp> d = Map.of("web", desired("web", 1));
    Convergence.Snapshot s = new Convergence.Snapshot(d, List.of(claimed), Set.of(), Set.of("n1"), Set.of());
    assertThat(Convergence.plan(s, claimed.since() + 5 * S, RestartPolicy.DIEGO, "e").changes()).isEmpty();
    assertThat(Convergence.plan(s, claimed.since() + 11 * S, RestartPolicy.DIEGO, "e").changes()).singleElement()
        .isInstanceOf(Convergence.Unclaim.class);
  }

  @Test
  void extrasAreRetiredOnlyWhenTheirDomainIsFresh() {
    List<ActualLrp> actuals = List.of(actual("web", 0, ActualState.RUNNING, "n1"), actual("web", 1, ActualState.RUNNING, "n1"),
        actual("gone", 0, ActualState.RUNNING, "n1"));
    assertThat(plan(List.of(desired("web", 1)), actuals, Set.of(), Set.of("n1")).changes()).isEmpty();
    assertThat(plan(List.of(desired("web", 1)), actuals, Set.of("d"), Set.of("n1")).changes())
        .extracting(Convergence.Change::key).containsExactly(new LrpKey("web", 1), new LrpKey("gone", 0));
  }

  @Test
  void crashedInstancesRestartOnDiegosSchedule() {
    ActualLrp first = actual("web", 0, ActualState.CRASHED, "n1");
    assertThat(first.crashCount()).isEqualTo(1);
    assertThat(plan(List.of(desired("web", 1)), List.of(first), Set.of(), Set.of("n1")).changes())
        .singleElement().isInstanceOf(Convergence.Restart.class);

    ActualLrp third = first.unclaim(NOW, "").claim("n1", "g", NOW).crashed("x", NOW, RestartPolicy.DIEGO)
        .unclaim(NOW, "").claim("n1", "g", NOW).crashed("x", NOW, RestartPolicy.DIEGO);
    assertThat(third.crashCount()).isEqualTo(3);
    assertThat(RestartPolicy.DIEGO.mayRestart(third, NOW + 29 * S)).isFalse();
    assertThat(RestartPolicy.DIEGO.mayRestart(third, NOW + 30 * S)).isTrue();
    assertThat(plan(List.of(desired("web", 1)), List.of(third), Set.of(), Set.of("n1")).toPlace()).isEmpty();
  }

  @Test
  void theBackOffDoublesToSixteenMinutesAndStopsAfterTwoHundred() {
    RestartPolicy p = RestartPolicy.DIEGO;
    assertThat(List.of(1, 2, 3, 4, 5, 8, 9, 199).stream().map(n -> p.delay(n).orElseThrow()).toList()).containsExactly(
        Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(960), Duration.ofMinutes(16), Duration.ofMinutes(16));
    assertThat(p.delay(200)).isEmpty();
  }

  @Test
  void aLongHealthyRunForgetsTheCrashCount() {
    ActualLrp crashedTwice = actual("web", 0, ActualState.CRASHED, "n1").unclaim(NOW, "").claim("n1", "g", NOW)
        .crashed("x", NOW, RestartPolicy.DIEGO);
    assertThat(crashedTwice.crashCount()).isEqualTo(2);
    ActualLrp running = crashedTwice.unclaim(NOW, "").claim("n1", "g", NOW).running("a", List.of(), NOW);
    assertThat(running.crashed("x", NOW + 60 * S, RestartPolicy.DIEGO).crashCount()).isEqualTo(3);
    assertThat(running.crashed("x", NOW + 301 * S, RestartPolicy.DIEGO).crashCount()).isEqualTo(1);
  }
}

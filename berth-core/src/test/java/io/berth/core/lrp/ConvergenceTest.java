package io.berth.core.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
  static final long S = 1_000_000_000L;
  static final long NOW = 1_000_000 * S;

  static ProcessGuid guid(String raw) {
    return new ProcessGuid(raw);
  }

  static LrpKey key(String guid, int index) {
    return new LrpKey(guid(guid), index);
  }

  static Set<NodeName> cells(String... names) {
    return Stream.of(names).map(NodeName::of).collect(Collectors.toSet());
  }

  static Set<Domain> domains(String... names) {
    return Stream.of(names).map(Domain::new).collect(Collectors.toSet());
  }

  static DesiredLrp desired(String guid, int instances) {
    return new DesiredLrp(guid(guid), new Domain("d"), "docker:///berth/busybox#1", instances, List.of(), 0, 0, 64, false, null,
        new Action.Run("/bin/sleep", List.of("600"), null, null, null, "root", null), null, null, 0, List.of(8080), Map.of(),
        null, null, null, null, List.of(), new ModificationTag("e", 0));
  }

  static ActualLrp actual(String guid, int index, ActualState state, String cell) {
    ActualLrp a = ActualLrp.unclaimed(guid(guid), index, new Domain("d"), NOW - 100 * S, "e");
    NodeName on = cell == null ? null : NodeName.of(cell);
    InstanceGuid g = new InstanceGuid("g" + index);
    return switch (state) {
      case UNCLAIMED -> a;
      case CLAIMED -> a.claim(on, g, NOW - 50 * S);
      case RUNNING -> a.claim(on, g, NOW - 50 * S).running("127.0.0.1", List.of(), NOW - 40 * S);
      case CRASHED -> a.claim(on, g, NOW - 50 * S).crashed("exited with status 1", NOW - 10 * S, RestartPolicy.DIEGO);
    };
  }

  static Convergence.Result plan(List<DesiredLrp> desired, List<ActualLrp> actuals, Set<Domain> fresh, Set<NodeName> cells) {
    Map<ProcessGuid, DesiredLrp> byGuid = new HashMap<>();
    for (DesiredLrp d : desired) byGuid.put(d.processGuid(), d);
    Set<InstanceGuid> assigned = new HashSet<>();
    for (ActualLrp a : actuals) assigned.add(a.instanceGuid());
    return Convergence.plan(new Convergence.Snapshot(byGuid, actuals, fresh, cells, assigned), NOW, RestartPolicy.DIEGO, "e2");
  }

  @Test
  void createsAndPlacesEveryMissingIndex() {
    Convergence.Result r = plan(List.of(desired("web", 3)), List.of(actual("web", 1, ActualState.RUNNING, "n1")), Set.of(), cells("n1"));
    assertThat(r.changes()).hasSize(2).allMatch(c -> c instanceof Convergence.Create);
    assertThat(r.toPlace()).containsExactly(key("web", 0), key("web", 2));
  }

  @Test
  void instancesOfALostCellAreUnclaimedAndPlacedAgain() {
    Convergence.Result r = plan(List.of(desired("web", 2)),
        List.of(actual("web", 0, ActualState.RUNNING, "n1"), actual("web", 1, ActualState.CLAIMED, "n2")), Set.of(), cells("n1"));
    assertThat(r.changes()).singleElement().isInstanceOfSatisfying(Convergence.Unclaim.class,
        u -> assertThat(u.reason()).isEqualTo("cell n2 is lost"));
    assertThat(r.toPlace()).containsExactly(key("web", 1));
  }

  @Test
  void aClaimWhoseAssignmentNeverCameIsClaimedAgainAfterTheGrace() {
    ActualLrp claimed = actual("web", 0, ActualState.CLAIMED, "n1");
    Map<ProcessGuid, DesiredLrp> d = Map.of(guid("web"), desired("web", 1));
    Convergence.Snapshot s = new Convergence.Snapshot(d, List.of(claimed), Set.of(), cells("n1"), Set.of());
    assertThat(Convergence.plan(s, claimed.since() + 5 * S, RestartPolicy.DIEGO, "e").changes()).isEmpty();
    assertThat(Convergence.plan(s, claimed.since() + 11 * S, RestartPolicy.DIEGO, "e").changes()).singleElement()
        .isInstanceOf(Convergence.Unclaim.class);
  }

  @Test
  void extrasAreRetiredOnlyWhenTheirDomainIsFresh() {
    List<ActualLrp> actuals = List.of(actual("web", 0, ActualState.RUNNING, "n1"), actual("web", 1, ActualState.RUNNING, "n1"),
        actual("gone", 0, ActualState.RUNNING, "n1"));
    assertThat(plan(List.of(desired("web", 1)), actuals, Set.of(), cells("n1")).changes()).isEmpty();
    assertThat(plan(List.of(desired("web", 1)), actuals, domains("d"), cells("n1")).changes())
        .extracting(Convergence.Change::key).containsExactly(key("web", 1), key("gone", 0));
  }

  @Test
  void crashedInstancesRestartOnDiegosSchedule() {
    ActualLrp first = actual("web", 0, ActualState.CRASHED, "n1");
    assertThat(first.crashCount()).isEqualTo(1);
    assertThat(plan(List.of(desired("web", 1)), List.of(first), Set.of(), cells("n1")).changes())
        .singleElement().isInstanceOf(Convergence.Restart.class);

    ActualLrp third = first.unclaim(NOW, "").claim(NodeName.of("n1"), new InstanceGuid("g"), NOW).crashed("x", NOW, RestartPolicy.DIEGO)
        .unclaim(NOW, "").claim(NodeName.of("n1"), new InstanceGuid("g"), NOW).crashed("x", NOW, RestartPolicy.DIEGO);
    assertThat(third.crashCount()).isEqualTo(3);
    assertThat(RestartPolicy.DIEGO.mayRestart(third, NOW + 29 * S)).isFalse();
    assertThat(RestartPolicy.DIEGO.mayRestart(third, NOW + 30 * S)).isTrue();
    assertThat(plan(List.of(desired("web", 1)), List.of(third), Set.of(), cells("n1")).toPlace()).isEmpty();
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
    ActualLrp crashedTwice = actual("web", 0, ActualState.CRASHED, "n1").unclaim(NOW, "").claim(NodeName.of("n1"), new InstanceGuid("g"), NOW)
        .crashed("x", NOW, RestartPolicy.DIEGO);
    assertThat(crashedTwice.crashCount()).isEqualTo(2);
    ActualLrp running = crashedTwice.unclaim(NOW, "").claim(NodeName.of("n1"), new InstanceGuid("g"), NOW).running("a", List.of(), NOW);
    assertThat(running.crashed("x", NOW + 60 * S, RestartPolicy.DIEGO).crashCount()).isEqualTo(3);
    assertThat(running.crashed("x", NOW + 301 * S, RestartPolicy.DIEGO).crashCount()).isEqualTo(1);
  }
}

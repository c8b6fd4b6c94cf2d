package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.NodeName;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.PortMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** LRP convergence over a real (SQLite) store, scenario by scenario, one pass at a time. */
class ConvergerTest extends ConvergerScenario {
  Map<ActualState, Long> states(String guid) {
    return service.actuals(pg(guid)).stream().collect(Collectors.groupingBy(ActualLrp::state, Collectors.counting()));
  }

  void reportRunning(String guid) {
    for (ActualLrp a : service.actuals(pg(guid))) {
      if (a.state() == ActualState.CLAIMED) {
        service.report(a.cellId(), List.of(new InstanceReport(Assignment.LRP, a.instanceGuid().value(), guid, a.index(), InstanceReport.RUNNING,
            List.of(new PortMapping(8080, 61000 + a.index())), "", false, "")));
      }
    }
  }

  @Test
  void desiredInstancesAreClaimedSpreadAndRunningOnceTheirNodesSaySo() {
    service.desire(lrp("web", 4));
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.CLAIMED, 4L);
    assertThat(assignments("n1")).hasSize(2);
    assertThat(assignments("n2")).hasSize(2);
    Assignment a = assignments("n1").get(0);
    assertThat(a.image()).isEqualTo("berth/busybox:1");
    assertThat(a.ports()).containsExactly(8080);
    reportRunning("web");
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 4L);
    ActualLrp zero = service.actual(pg("web"), 0);
    assertThat(zero.address()).isEqualTo("127.0.0.1" + zero.cellId().value().substring(1));
    assertThat(zero.ports()).containsExactly(new PortMapping(8080, 61000));
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 4L).hasSize(1);
  }

  @Test
  void theInstancesOfALostNodeArePlacedOnTheOthers() {
    service.desire(lrp("web", 4));
    converger.pass();
    reportRunning("web");
    lose("n2");
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 2L).containsEntry(ActualState.CLAIMED, 2L);
    assertThat(service.actuals(pg("web"))).allMatch(a -> a.cellId().equals(NodeName.of("n1")));
    assertThat(assignments("n1")).hasSize(4);
    assertThat(assignments("n2")).as("the lost node's work is taken back").isEmpty();
  }

  @Test
  void aCrashRestartsAtOnceWithANewInstanceAndAStaleReportStopsTheOldOne() {
    service.desire(lrp("web", 1));
    converger.pass();
    reportRunning("web");
    ActualLrp before = service.actual(pg("web"), 0);
    service.report(before.cellId(), List.of(new InstanceReport(Assignment.LRP, before.instanceGuid().value(), "web", 0, InstanceReport.CRASHED,
        List.of(), "exited with status 137", false, "")));
    ActualLrp crashed = service.actual(pg("web"), 0);
    assertThat(crashed.state()).isEqualTo(ActualState.CRASHED);
    assertThat(crashed.crashCount()).isEqualTo(1);
    assertThat(crashed.crashReason()).isEqualTo("exited with status 137");
    converger.pass();
    ActualLrp again = service.actual(pg("web"), 0);
    assertThat(again.state()).isEqualTo(ActualState.CLAIMED);
    assertThat(again.instanceGuid()).isNotEqualTo(before.instanceGuid());
    assertThat(again.crashCount()).isEqualTo(1);
    // The old instance reporting late changes nothing.
    service.report(before.cellId(), List.of(new InstanceReport(Assignment.LRP, before.instanceGuid().value(), "web", 0, InstanceReport.RUNNING,
        List.of(), "", false, "")));
    assertThat(service.actual(pg("web"), 0).instanceGuid()).isEqualTo(again.instanceGuid());
  }

  @Test
  void anAgentThatRestartsInPlaceGetsTheFirstTwoCrashesStartedAgainInTheirContainerThenTheBackOff() {
    service.desire(lrp("web", 1));
    converger.pass();
    reportRunning("web");
    ActualLrp before = service.actual(pg("web"), 0);
    for (int run = 0; run < 2; run++) {
      service.report(before.cellId(), List.of(crash(before, run)));
      ActualLrp again = service.actual(pg("web"), 0);
      assertThat(again.state()).isEqualTo(ActualState.CLAIMED);
      assertThat(again.instanceGuid()).as("the same instance, in its container").isEqualTo(before.instanceGuid());
      assertThat(again.cellId()).isEqualTo(before.cellId());
      assertThat(again.crashCount()).isEqualTo(run + 1);
      assertThat(assignments(before.cellId())).singleElement().extracting(Assignment::restarts).isEqualTo(run + 1);
      // The same crash sent again (the agent resends until it has started the new run) is old news.
      service.report(before.cellId(), List.of(crash(before, run)));
      assertThat(service.actual(pg("web"), 0).crashCount()).isEqualTo(run + 1);
      converger.pass();
      assertThat(service.actual(pg("web"), 0).instanceGuid()).as("not placed anew").isEqualTo(before.instanceGuid());
      reportRunning("web");
    }
    service.report(before.cellId(), List.of(crash(before, 2)));
    ActualLrp third = service.actual(pg("web"), 0);
    assertThat(third.state()).as("the third crash waits out Diego's back-off").isEqualTo(ActualState.CRASHED);
    assertThat(third.crashCount()).isEqualTo(3);
    assertThat(assignments(before.cellId())).isEmpty();
  }

  static InstanceReport crash(ActualLrp a, int run) {
    return new InstanceReport(Assignment.LRP, a.instanceGuid().value(), a.processGuid().value(), a.index(), InstanceReport.CRASHED,
        List.of(), "exited with status 1", false, "", run);
  }

  @Test
  void scalingDownStopsExtrasAtOnceAndRemovingStopsAll() {
    service.desire(lrp("web", 3));
    converger.pass();
    service.update(pg("web"), new DesiredLrpUpdate(1, null, "v2"));
    assertThat(service.actuals(pg("web"))).extracting(ActualLrp::index).containsExactly(0);
    assertThat(service.desired(pg("web")).annotation()).isEqualTo("v2");
    assertThat(service.desired(pg("web")).modificationTag().index()).isEqualTo(1);
    assertThat(assignments("n1").size() + assignments("n2").size()).isEqualTo(1);
    service.remove(pg("web"));
    assertThat(service.actuals(pg("web"))).isEmpty();
    assertThat(assignments("n1").size() + assignments("n2").size()).isZero();
    assertThatThrownBy(() -> service.desired(pg("web"))).isInstanceOf(BerthException.NotFound.class).hasMessageContaining("web");
  }

  @Test
  void extrasWithoutADesireAreStoppedOnlyOnceTheirDomainIsFresh() {
    service.desire(lrp("web", 2));
    converger.pass();
    raw.delete(Keys.desired("web")); // as if the desired state were lost
    converger.pass();
    assertThat(service.actuals(pg("web"))).hasSize(2);
    service.fresh("apps", Duration.ofSeconds(30));
    converger.pass();
    assertThat(service.actuals(pg("web"))).isEmpty();
    assertThat(service.domains()).containsExactly(new Domain("apps"));
  }

  @Test
  void whatNoNodeCanHoldSaysWhy() {
    DesiredLrp big = lrp("big", 1);
    big = new DesiredLrp(pg("big"), new Domain("apps"), big.rootfs(), 1, List.of(), 0, 0, 64 * 1024, false, null, big.action(), null, null, 0,
        List.of(), Map.of(), null, null, null, null, List.of(), null);
    service.desire(big);
    converger.pass();
    ActualLrp a = service.actual(pg("big"), 0);
    assertThat(a.state()).isEqualTo(ActualState.UNCLAIMED);
    assertThat(a.placementError()).contains("memory");
  }

  @Test
  void aDrainedNodesInstancesMoveAndTheOldOnesStopOnlyOnceTheNewOnesRun() {
    service.desire(lrp("web", 2));
    converger.pass();
    reportRunning("web");
    String drained = service.actual(pg("web"), 0).cellId().value();
    String other = drained.equals("n1") ? "n2" : "n1";
    ActualLrp old = service.actual(pg("web"), 0);
    assertThat(service.draining(drained)).isFalse();
    service.drain(drained, true);
    assertThat(service.draining(drained)).isTrue();
    assertThat(service.draining(other)).isFalse();
    converger.pass();
    ActualLrp moved = service.actual(pg("web"), 0);
    assertThat(moved.state()).isEqualTo(ActualState.CLAIMED);
    assertThat(moved.cellId().value()).isEqualTo(other);
    assertThat(assignments(drained)).as("the old instance keeps running").extracting(Assignment::instanceGuid).contains(old.instanceGuid().value());
    converger.pass();
    assertThat(assignments(drained)).extracting(Assignment::instanceGuid).contains(old.instanceGuid().value());
    reportRunning("web");
    assertThat(assignments(drained)).as("stopped once its replacement runs").isEmpty();
    assertThat(service.actuals(pg("web"))).allMatch(a -> a.cellId().value().equals(other) && a.state() == ActualState.RUNNING);
    service.desire(lrp("more", 1));
    converger.pass();
    assertThat(service.actual(pg("more"), 0).cellId().value()).as("nothing new lands on a draining node").isEqualTo(other);
    assertThatThrownBy(() -> service.drain("n9", true)).isInstanceOf(BerthException.NotFound.class);
    assertThatThrownBy(() -> service.draining("n9")).isInstanceOf(BerthException.NotFound.class);
  }
}

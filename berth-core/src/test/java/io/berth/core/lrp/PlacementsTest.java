package io.berth.core.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Plan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementsTest {
  static final ProcessGuid WEB = new ProcessGuid("web");

  static DesiredLrp desired(ProcessGuid guid, int memoryMb) {
    return new DesiredLrp(guid, null, "docker:///berth/busybox#1", 1, List.of(), 0, 0, memoryMb, false, null, null, null, null, 0,
        List.of(), Map.of(), null, null, null, null, List.of(), null);
  }

  static Task task(String guid) {
    return new Task(new TaskGuid(guid), null, "docker:///berth/busybox#2", List.of(), 0, 0, 16, false, null, null, null, null,
        null, null, null, List.of(), TaskState.PENDING, NodeName.NONE, false, "", "", 0);
  }

  @Test
  void wantsAreTheSlotsWithADesireThenTheTasks() {
    ActualLrp orphan = ActualLrp.unclaimed(new ProcessGuid("gone"), 0, null, 0, "e");
    ActualLrp slot = ActualLrp.unclaimed(WEB, 1, null, 0, "e");
    List<Placements.Want> wants = Placements.wants(List.of(orphan, slot), List.of(task("t1")), Map.of(WEB, desired(WEB, 64)));
    assertThat(wants).containsExactly(new Placements.SlotWant(slot.key(), "berth/busybox:1", 64L << 20),
        new Placements.TaskWant(new TaskGuid("t1"), "berth/busybox:2", 16L << 20));
  }

  @Test
  void matchesEachAnswerToItsWorkByKey() {
    LrpKey slot = new LrpKey(WEB, 0);
    LrpKey big = new LrpKey(WEB, 1);
    TaskGuid job = new TaskGuid("web"); // the same raw string as the process guid: still its own key
    List<Placements.Want> wants = List.of(new Placements.SlotWant(slot, "a", 0), new Placements.SlotWant(big, "a", 0),
        new Placements.TaskWant(job, "a", 0));
    List<PlacementRequest> requests = List.of(PlacementRequest.of(null, "a"), PlacementRequest.of(null, "a"),
        PlacementRequest.of(null, "a"));
    Plan plan = new Plan(List.of(new Plan.Placement(requests.get(2), NodeName.of("n2")), new Plan.Placement(requests.get(0), NodeName.of("n1"))),
        List.of(new Plan.Unplaced(requests.get(1), "no node fits: not enough memory")));

    Placements out = Placements.match(wants, requests, plan);

    assertThat(out.node(slot)).hasValue(NodeName.of("n1"));
    assertThat(out.node(job)).hasValue(NodeName.of("n2"));
    assertThat(out.node(big)).isEmpty();
    assertThat(out.reason(big)).hasValue("no node fits: not enough memory");
    assertThat(out.reason(slot)).isEmpty();
    assertThat(out.node(new LrpKey(WEB, 7))).as("not asked for").isEmpty();
  }

  @Test
  void nothingToPlaceHasNoAnswers() {
    assertThat(Placements.NONE.node(new TaskGuid("t"))).isEmpty();
    assertThatThrownBy(() -> Placements.match(List.of(new Placements.TaskWant(new TaskGuid("t"), "a", 0)), List.of(),
        new Plan(List.of(), List.of()))).isInstanceOf(IllegalArgumentException.class);
  }
}

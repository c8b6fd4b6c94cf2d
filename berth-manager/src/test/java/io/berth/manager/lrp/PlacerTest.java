package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.LrpKey;
import io.berth.core.lrp.Placements;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.plan.Reservation;
import io.berth.manager.TestStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A placement batch plans and claims inside the cluster's plan step, and what it claimed is journalled for docker run. */
class PlacerTest {
  static final NodeView N1 = new NodeView(NodeName.of("n1"), "id1", true, Map.of(), 2, 2L << 30, List.of(), Set.of("berth/busybox:1"));
  @RegisterExtension final TestStore stores = new TestStore();

  @Test
  void aBatchClaimsHoldingThePlanStepAndAnotherManagerSeesItsClaims() {
    PlanLock leader = PlanLock.shared(stores.get(), "leader", null);
    PlanLock other = PlanLock.shared(stores.get(), "other", null);
    Placer placer = new Placer(new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), () -> List.of(N1), leader);
    LrpKey slot = new LrpKey(new ProcessGuid("web"), 0);
    AtomicBoolean lockedWhileClaiming = new AtomicBoolean();
    Placements out = placer.placeAndClaim(List.of(new Placements.SlotWant(slot, "berth/busybox:1", 3L << 29)), List.of(), Set.of(),
        placed -> {
          lockedWhileClaiming.set(stores.get().get("/berth/docker/create-lock").isPresent());
          return List.of(new Placer.Held(placed.node(slot).orElseThrow(), "g1", "berth/busybox:1", 3L << 29));
        });
    assertThat(out.node(slot)).contains(NodeName.of("n1"));
    assertThat(lockedWhileClaiming).as("the claim is written holding the store lock").isTrue();
    assertThat(stores.get().get("/berth/docker/create-lock")).as("and it is let go after").isEmpty();
    assertThat(other.holding(other::pending)).containsExactly(new Reservation(NodeName.of("n1"), "g1", "berth/busybox:1", 3L << 29));
  }

  @Test
  void heldInstancesTheViewDoesNotShowYetKeepTheirMemory() {
    Placer placer = new Placer(new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), () -> List.of(N1));
    LrpKey slot = new LrpKey(new ProcessGuid("web"), 1);
    Placements out = placer.place(List.of(new Placements.SlotWant(slot, "berth/busybox:1", 1L << 30)),
        List.of(new Placer.Held(NodeName.of("n1"), "g0", "berth/busybox:1", 3L << 29)), Set.of());
    assertThat(out.node(slot)).isEmpty();
  }

  /** An LRP's instances go apart first, its claims the view does not show yet counted too: not where the fewest containers are. */
  @Test
  void anLrpsInstancesGoApartCountingItsClaimsTheViewDoesNotShowYet() {
    NodeView n1 = new NodeView(NodeName.of("n1"), "id1", true, Map.of(), 2, 4L << 30, List.of(), Set.of("berth/busybox:1"));
    List<NodeView.ContainerView> others = List.of(other("a"), other("b"), other("c"));
    NodeView n2 = new NodeView(NodeName.of("n2"), "id2", true, Map.of(), 2, 4L << 30, others, Set.of("berth/busybox:1"));
    Placer placer = new Placer(new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), () -> List.of(n1, n2));
    LrpKey two = new LrpKey(new ProcessGuid("web"), 2);
    LrpKey three = new LrpKey(new ProcessGuid("web"), 3);
    List<Placer.Held> claimed = List.of(new Placer.Held(NodeName.of("n1"), "g0", "berth/busybox:1", 1L << 20, "web"),
        new Placer.Held(NodeName.of("n1"), "g1", "berth/busybox:1", 1L << 20, "web"));
    Placements out = placer.place(List.of(new Placements.SlotWant(two, "berth/busybox:1", 1L << 20),
        new Placements.SlotWant(three, "berth/busybox:1", 1L << 20)), claimed, Set.of());
    assertThat(out.node(two)).contains(NodeName.of("n2"));
    assertThat(out.node(three)).contains(NodeName.of("n2"));
  }

  static NodeView.ContainerView other(String name) {
    return new NodeView.ContainerView(name, name, "berth/busybox:1", Map.of(), List.of(), true, 0, 0);
  }
}

package io.berth.manager.lrp;

import io.berth.core.id.NodeName;
import io.berth.core.lrp.Placements;
import io.berth.core.lrp.Placements.SlotWant;
import io.berth.core.lrp.Placements.Want;
import io.berth.core.metrics.ContainerLabels;
import io.berth.core.scheduler.ClusterSnapshot;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Plan;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.metrics.BerthMetrics;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.plan.Reservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Chooses nodes for LRP instances and tasks with the cluster's scheduler, over the fleet's view of the
 * nodes: the same as {@code docker run}'s, whether or not the Docker endpoint is on (so both kinds of
 * work share one accounting). Work that is claimed but whose container the view does not show yet
 * still holds its memory on its node. A batch plans and claims inside the cluster's one plan step
 * ({@link PlanLock}), so a {@code docker run} on any manager plans after it or before it, never on the
 * same view at once.
 */
final class Placer {
  private final Scheduler scheduler;
  private final Supplier<List<NodeView>> views;
  private final PlanLock planLock;

  Placer(Scheduler scheduler, Supplier<List<NodeView>> views, PlanLock planLock) {
    this.scheduler = scheduler;
    this.views = views;
    this.planLock = planLock;
  }

  /** For one manager alone, as tests run it. */
  Placer(Scheduler scheduler, Supplier<List<NodeView>> views) {
    this(scheduler, views, PlanLock.local());
  }

  /** Work already on a node: its instance (or task) guid, the memory it holds, and its LRP (null: a task). */
  record Held(NodeName node, String instanceGuid, String image, long memoryBytes, String processGuid) {
    /** A task's. */
    Held(NodeName node, String taskGuid, String image, long memoryBytes) {
      this(node, taskGuid, image, memoryBytes, null);
    }

    Reservation reservation() {
      return new Reservation(node, instanceGuid, image, memoryBytes, processGuid);
    }
  }

  /**
   * Places {@code wants} and hands the placements to {@code claim}, which writes the claims and returns what it
   * claimed, all holding the plan step; one step per batch, however many instances.
   */
  Placements placeAndClaim(List<Want> wants, List<Held> held, Set<NodeName> excluded, Function<Placements, List<Held>> claim) {
    if (wants.isEmpty()) return Placements.NONE;
    return planLock.holding(() -> {
      Placements out = place(wants, held, excluded);
      planLock.claimed(claim.apply(out).stream().map(Held::reservation).toList());
      return out;
    });
  }

  /** Places {@code wants} on the nodes of the view but those {@code excluded} (draining). */
  Placements place(List<Want> wants, List<Held> held, Set<NodeName> excluded) {
    if (wants.isEmpty()) return Placements.NONE;
    List<NodeView> nodes = overlay(views.get().stream().filter(n -> !excluded.contains(n.name())).toList(), held);
    Set<String> images = new HashSet<>();
    for (NodeView n : nodes) images.addAll(n.images());
    List<PlacementRequest> requests = new ArrayList<>();
    for (Want w : wants) {
      // An image no node holds may still be pulled; one some node holds steers to those nodes (no registry here).
      boolean someNodeHasIt = images.contains(w.image()) || images.contains(w.image() + ":latest");
      // One LRP's instances apart first, as Diego's auction spreads a process guid's instances across cells.
      PlacementRequest.Group group = w instanceof SlotWant s ? new PlacementRequest.Group(ContainerLabels.PROCESS_GUID,
          s.key().processGuid().value()) : null;
      PlacementRequest r = new PlacementRequest(null, w.image(), !someNodeHasIt, w.memoryBytes(), 0, List.of(), List.of(),
          List.of(), List.of(), List.of(), group);
      requests.add(r);
    }
    long t0 = System.nanoTime();
    Plan plan = scheduler.plan(requests, ClusterSnapshot.of(nodes));
    BerthMetrics.planned("lrp", plan, System.nanoTime() - t0);
    return Placements.match(wants, requests, plan);
  }

  /** The views with each held instance the node does not show yet added as a reserving container. */
  static List<NodeView> overlay(List<NodeView> nodes, List<Held> held) {
    return Reservation.overlay(nodes, held.stream().map(Held::reservation).toList());
  }
}

package io.berth.manager.lrp;

import io.berth.core.id.NodeName;
import io.berth.core.lrp.Placements;
import io.berth.core.lrp.Placements.Want;
import io.berth.core.scheduler.ClusterSnapshot;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Plan;
import io.berth.core.scheduler.Scheduler;
import io.berth.manager.metrics.BerthMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Chooses nodes for LRP instances and tasks with the cluster's scheduler, over the fleet's view of the
 * nodes: the same as {@code docker run}'s, whether or not the Docker endpoint is on (so both kinds of
 * work share one accounting). Work that is claimed but whose container the view does not show yet
 * still holds its memory on its node.
 */
final class Placer {
  static final String INSTANCE_LABEL = "io.berth.instance-guid";
  private final Scheduler scheduler;
  private final Supplier<List<NodeView>> views;

  Placer(Scheduler scheduler, Supplier<List<NodeView>> views) {
    this.scheduler = scheduler;
    this.views = views;
  }

  /** Work already on a node: its instance (or task) guid and the memory it holds. */
  record Held(NodeName node, String instanceGuid, String image, long memoryBytes) {}

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
      PlacementRequest r = new PlacementRequest(null, w.image(), !someNodeHasIt, w.memoryBytes(), 0, List.of(), List.of(),
          List.of(), List.of());
      requests.add(r);
    }
    long t0 = System.nanoTime();
    Plan plan = scheduler.plan(requests, ClusterSnapshot.of(nodes));
    BerthMetrics.planned("lrp", plan, System.nanoTime() - t0);
    return Placements.match(wants, requests, plan);
  }

  /** The views with each held instance the node does not show yet added as a reserving container. */
  static List<NodeView> overlay(List<NodeView> nodes, List<Held> held) {
    Map<NodeName, List<Held>> byNode = new HashMap<>();
    for (Held h : held) byNode.computeIfAbsent(h.node(), k -> new ArrayList<>()).add(h);
    List<NodeView> out = new ArrayList<>(nodes.size());
    for (NodeView n : nodes) {
      List<Held> mine = byNode.get(n.name());
      if (mine == null) {
        out.add(n);
        continue;
      }
      Set<String> shown = new HashSet<>();
      for (NodeView.ContainerView c : n.containers()) {
        String g = c.labels().get(INSTANCE_LABEL);
        if (g != null) shown.add(g);
      }
      List<NodeView.ContainerView> cs = new ArrayList<>(n.containers());
      for (Held h : mine) {
        if (shown.contains(h.instanceGuid())) continue;
        cs.add(new NodeView.ContainerView("lrp-" + h.instanceGuid(), null, h.image(), Map.of(INSTANCE_LABEL, h.instanceGuid()),
            List.of(), true, h.memoryBytes(), 0));
      }
      out.add(new NodeView(n.name(), n.id(), n.ready(), n.labels(), n.cpus(), n.memoryBytes(), cs, n.images()));
    }
    return out;
  }
}

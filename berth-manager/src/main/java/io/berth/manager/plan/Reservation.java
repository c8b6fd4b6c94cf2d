package io.berth.manager.plan;

import io.berth.core.id.NodeName;
import io.berth.core.metrics.ContainerLabels;
import io.berth.core.scheduler.NodeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Work placed on a node whose container the node's view may not show yet (an LRP instance or task
 * claimed, its agent still pulling): it holds its memory there all the same.
 *
 * @param instanceGuid the guid its container will carry in {@link #INSTANCE_LABEL}
 * @param processGuid the LRP whose instance it is, carried in {@link ContainerLabels#PROCESS_GUID} (null: a task, or not known)
 */
public record Reservation(NodeName node, String instanceGuid, String image, long memoryBytes, String processGuid) {
  /** The label an instance's container carries its guid in. */
  public static final String INSTANCE_LABEL = "io.berth.instance-guid";

  /** Work of no LRP (a task, or a claim another manager journaled). */
  public Reservation(NodeName node, String instanceGuid, String image, long memoryBytes) {
    this(node, instanceGuid, image, memoryBytes, null);
  }

  /** The views with each reservation the node does not show yet added as a reserving container. */
  public static List<NodeView> overlay(List<NodeView> nodes, List<Reservation> reserved) {
    if (reserved.isEmpty()) return nodes;
    Map<NodeName, List<Reservation>> byNode = new HashMap<>();
    for (Reservation r : reserved) byNode.computeIfAbsent(r.node(), k -> new ArrayList<>()).add(r);
    List<NodeView> out = new ArrayList<>(nodes.size());
    for (NodeView n : nodes) {
      List<Reservation> mine = byNode.get(n.name());
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
      for (Reservation r : mine) {
        if (!shown.add(r.instanceGuid())) continue; // shown, or reserved twice (journal and store)
        Map<String, String> labels = r.processGuid() == null ? Map.of(INSTANCE_LABEL, r.instanceGuid())
            : Map.of(INSTANCE_LABEL, r.instanceGuid(), ContainerLabels.PROCESS_GUID, r.processGuid());
        cs.add(new NodeView.ContainerView("lrp-" + r.instanceGuid(), null, r.image(), labels, List.of(), true, r.memoryBytes(), 0));
      }
      out.add(new NodeView(n.name(), n.id(), n.ready(), n.labels(), n.cpus(), n.memoryBytes(), cs, n.images()));
    }
    return out;
  }
}

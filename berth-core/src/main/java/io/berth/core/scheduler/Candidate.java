package io.berth.core.scheduler;

import io.berth.core.id.NodeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node during one planning pass: its snapshot aggregates plus what this pass has placed on it,
 * so a batch never overbooks a node. Created only for the nodes a pass looks at; private to one
 * {@link Scheduler#plan} call.
 */
final class Candidate {
  final ClusterSnapshot.Node base;
  final NodeView view;
  private long addedMemory;
  private double addedCpus;
  private int addedContainers;
  private List<PlacementRequest.HostPort> addedPorts = List.of();
  private List<String> addedRefs = List.of();
  private Map<PlacementRequest.Group, Integer> addedGroups = Map.of();

  Candidate(ClusterSnapshot.Node base) {
    this.base = base;
    this.view = base.view;
  }

  void place(PlacementRequest r) {
    addedMemory += r.memoryBytes();
    addedCpus += r.cpus();
    addedContainers++;
    if (!r.ports().isEmpty()) {
      if (addedPorts.isEmpty()) addedPorts = new ArrayList<>();
      addedPorts.addAll(r.ports());
    }
    if (r.name() != null) {
      if (addedRefs.isEmpty()) addedRefs = new ArrayList<>();
      addedRefs.add(r.name());
    }
    if (r.group() != null) {
      if (addedGroups.isEmpty()) addedGroups = new HashMap<>();
      addedGroups.merge(r.group(), 1, Integer::sum);
    }
  }

  /** How many containers of {@code group} the node holds, with those this pass placed there. */
  int members(PlacementRequest.Group group) {
    return base.members(group) + addedGroups.getOrDefault(group, 0);
  }

  NodeName name() {
    return view.name();
  }

  long reservedMemory() {
    return base.reservedMemory + addedMemory;
  }

  double reservedCpus() {
    return base.reservedCpus + addedCpus;
  }

  int containers() {
    return base.containers + addedContainers;
  }

  boolean portInUse(PlacementRequest.HostPort want) {
    for (PlacementRequest.HostPort used : base.ports) if (want.clashes(used)) return true;
    for (PlacementRequest.HostPort used : addedPorts) if (want.clashes(used)) return true;
    return false;
  }

  boolean hasContainer(String ref) {
    return base.refs.contains(ref) || addedRefs.contains(ref);
  }

  /** Names and ids of the containers here (for expressions that need to scan them). */
  Iterable<String> containerRefs() {
    if (addedRefs.isEmpty()) return base.refs;
    List<String> all = new ArrayList<>(base.refs);
    all.addAll(addedRefs);
    return all;
  }

  Set<String> labelValues(String key) {
    return base.labelValues.getOrDefault(key, Set.of());
  }
}

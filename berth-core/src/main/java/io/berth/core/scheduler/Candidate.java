package io.berth.core.scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node during one planning pass: its view plus what this pass has already placed on it, so a
 * batch never overbooks a node. Mutable, and private to one {@link Scheduler#plan} call.
 */
final class Candidate {
  final NodeView view;
  long reservedMemory;
  double reservedCpus;
  int containers;
  final List<PlacementRequest.HostPort> ports = new ArrayList<>();
  /** Names and ids of the containers here, for dependencies and container affinities. */
  final Set<String> containerRefs = new HashSet<>();
  final List<NodeView.ContainerView> placedOrPresent = new ArrayList<>();

  Candidate(NodeView view) {
    this.view = view;
    for (NodeView.ContainerView c : view.containers()) add(c);
  }

  void add(NodeView.ContainerView c) {
    // Stopped containers still hold their host ports (the engine re-binds them on start), but not resources.
    ports.addAll(c.ports());
    if (c.running()) {
      reservedMemory += c.memoryBytes();
      reservedCpus += c.cpus();
    }
    containers++;
    if (c.name() != null) containerRefs.add(c.name());
    if (c.id() != null) containerRefs.add(c.id());
    placedOrPresent.add(c);
  }

  void place(PlacementRequest r) {
    add(new NodeView.ContainerView(null, r.name(), r.image(), java.util.Map.of(), r.ports(), true, r.memoryBytes(), r.cpus()));
  }

  String name() {
    return view.name();
  }
}

package io.berth.core.scheduler;

import io.berth.core.id.NodeName;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as the scheduler sees it: a copy taken for one planning pass.
 *
 * @param labels engine and node labels, plus {@code storagedriver}, {@code kernelversion} and
 *     {@code operatingsystem} as Swarm exposed them to constraints
 * @param images the image references and ids the node holds
 * @param networks the ids and names of the networks the node's engine holds (a local network lives on one node)
 */
public record NodeView(NodeName name, String id, boolean ready, Map<String, String> labels, int cpus, long memoryBytes,
                       List<ContainerView> containers, Set<String> images, Set<String> networks) {
  public NodeView {
    labels = Map.copyOf(labels);
    containers = List.copyOf(containers);
    images = Set.copyOf(images);
    networks = Set.copyOf(networks);
  }

  /** A node whose networks nobody asked about: it holds none a placement could need. */
  public NodeView(NodeName name, String id, boolean ready, Map<String, String> labels, int cpus, long memoryBytes,
                  List<ContainerView> containers, Set<String> images) {
    this(name, id, ready, labels, cpus, memoryBytes, containers, images, Set.of());
  }

  /**
   * One container on the node, with what it reserves.
   *
   * @param reserving true while it holds its memory and CPUs: created (a {@code docker run} between
   *     its create and its start), running, paused or restarting; false once exited
   */
  public record ContainerView(String id, String name, String image, Map<String, String> labels,
                              List<PlacementRequest.HostPort> ports, boolean reserving, long memoryBytes, double cpus) {
    public ContainerView {
      labels = Map.copyOf(labels);
      ports = List.copyOf(ports);
    }
  }
}

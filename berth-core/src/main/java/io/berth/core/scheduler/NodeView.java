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
 */
public record NodeView(NodeName name, String id, boolean ready, Map<String, String> labels, int cpus, long memoryBytes,
                       List<ContainerView> containers, Set<String> images) {
  public NodeView {
    labels = Map.copyOf(labels);
    containers = List.copyOf(containers);
    images = Set.copyOf(images);
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

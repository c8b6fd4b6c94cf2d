package io.berth.core.scheduler;

import java.util.List;

/**
 * What one container needs from a node.
 *
 * @param name the container's name (may be null), so later requests of a batch can depend on it
 * @param imageAvailable false when the image cannot be pulled: only nodes holding it qualify
 * @param memoryBytes memory to reserve (0: none)
 * @param cpus CPUs to reserve (0: none)
 * @param dependsOn containers that must share the node: {@code --link}, {@code --volumes-from}, {@code --net=container:}
 */
public record PlacementRequest(String name, String image, boolean imageAvailable, long memoryBytes, double cpus,
                               List<Expr> constraints, List<Expr> affinities, List<HostPort> ports,
                               List<String> dependsOn) {
  public PlacementRequest {
    constraints = List.copyOf(constraints);
    affinities = List.copyOf(affinities);
    ports = List.copyOf(ports);
    dependsOn = List.copyOf(dependsOn);
  }

  /** A request for an image with no requirements. */
  public static PlacementRequest of(String name, String image) {
    return new PlacementRequest(name, image, true, 0, 0, List.of(), List.of(), List.of(), List.of());
  }

  /** A published host port: IP ("" for all addresses), port and protocol. */
  public record HostPort(String ip, int port, String protocol) {
    /** True when both cannot be bound on one node at once. */
    public boolean clashes(HostPort other) {
      return port == other.port && protocol.equalsIgnoreCase(other.protocol)
          && (ip.isEmpty() || other.ip.isEmpty() || ip.equals("0.0.0.0") || other.ip.equals("0.0.0.0") || ip.equals(other.ip));
    }
  }
}

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
 * @param networks local networks the container joins (their engine ids): only the node that holds them qualifies
 * @param group the group the container will belong to (null: none), whose members are spread apart first
 */
public record PlacementRequest(String name, String image, boolean imageAvailable, long memoryBytes, double cpus,
                               List<Expr> constraints, List<Expr> affinities, List<HostPort> ports,
                               List<String> dependsOn, List<String> networks, Group group) {
  /**
   * The containers whose label {@code label} is {@code value}, such as one LRP's instances: a node
   * holding fewer of them goes first, before the strategy's order, as Diego's auction spreads the
   * instances of one process guid across cells; so an LRP's instances are as even across the nodes
   * as the filters allow, whatever else the nodes hold.
   */
  public record Group(String label, String value) {}

  public PlacementRequest {
    constraints = List.copyOf(constraints);
    affinities = List.copyOf(affinities);
    ports = List.copyOf(ports);
    dependsOn = List.copyOf(dependsOn);
    networks = List.copyOf(networks);
  }

  /** A request in no group. */
  public PlacementRequest(String name, String image, boolean imageAvailable, long memoryBytes, double cpus,
                          List<Expr> constraints, List<Expr> affinities, List<HostPort> ports, List<String> dependsOn,
                          List<String> networks) {
    this(name, image, imageAvailable, memoryBytes, cpus, constraints, affinities, ports, dependsOn, networks, null);
  }

  /** A request that joins no user network. */
  public PlacementRequest(String name, String image, boolean imageAvailable, long memoryBytes, double cpus,
                          List<Expr> constraints, List<Expr> affinities, List<HostPort> ports, List<String> dependsOn) {
    this(name, image, imageAvailable, memoryBytes, cpus, constraints, affinities, ports, dependsOn, List.of());
  }

  /** A request for an image with no requirements. */
  public static PlacementRequest of(String name, String image) {
    return new PlacementRequest(name, image, true, 0, 0, List.of(), List.of(), List.of(), List.of());
  }

  /**
   * A host port: IP ("" for all addresses), port and protocol. A published port ({@code -p}) is one, and so is
   * every port a container on the host's network ({@code --net=host}) exposes ({@code --expose}, the image's
   * {@code EXPOSE}): it listens on all the node's addresses, so it clashes with the same port taken either way.
   */
  public record HostPort(String ip, int port, String protocol) {
    /** A port a host-network container exposes, as {@code 80/tcp} (no protocol: tcp); a clear error for anything else. */
    public static HostPort exposed(String portAndProtocol) {
      int slash = portAndProtocol.indexOf('/');
      String number = slash < 0 ? portAndProtocol : portAndProtocol.substring(0, slash);
      try {
        int port = Integer.parseInt(number.strip());
        if (port < 1 || port > 65535) throw new NumberFormatException();
        return new HostPort("", port, slash < 0 ? "tcp" : portAndProtocol.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid exposed port '" + portAndProtocol + "': expected PORT or PORT/PROTOCOL");
      }
    }

    /** True when both cannot be bound on one node at once. */
    public boolean clashes(HostPort other) {
      return port == other.port && protocol.equalsIgnoreCase(other.protocol)
          && (ip.isEmpty() || other.ip.isEmpty() || ip.equals("0.0.0.0") || other.ip.equals("0.0.0.0") || ip.equals(other.ip));
    }
  }
}

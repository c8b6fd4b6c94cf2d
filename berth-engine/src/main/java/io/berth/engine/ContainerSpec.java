package io.berth.engine;

import java.util.List;
import java.util.Map;

/**
 * What to create: image, command, environment, labels, limits and published ports.
 * {@code ports} maps a container port ("8080/tcp") to a host port (0 = any free one), published on
 * {@code hostIp} ("" = the engine's default address). An empty {@code entrypoint} keeps the image's;
 * {@code cpuShares} 0 keeps the engine's default (1024). {@code binds} are Docker's
 * {@code HOST:CONTAINER[:ro]} bind mounts.
 */
public record ContainerSpec(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                            Map<String, String> labels, long memoryBytes, long nanoCpus, int cpuShares,
                            boolean privileged, Map<String, Integer> ports, String hostIp, List<String> binds) {
  public ContainerSpec {
    binds = binds == null ? List.of() : List.copyOf(binds);
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
    ports = Map.copyOf(ports);
    hostIp = hostIp == null ? "" : hostIp;
    if (cpuShares < 0) throw new IllegalArgumentException("cpu shares must be >= 0: " + cpuShares);
  }

  /** A spec with no bind mounts. */
  public ContainerSpec(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                       Map<String, String> labels, long memoryBytes, long nanoCpus, int cpuShares,
                       boolean privileged, Map<String, Integer> ports, String hostIp) {
    this(name, image, entrypoint, cmd, env, labels, memoryBytes, nanoCpus, cpuShares, privileged, ports, hostIp, List.of());
  }

  /** A spec with the image's entrypoint, default CPU shares and no privileges. */
  public ContainerSpec(String name, String image, List<String> cmd, List<String> env, Map<String, String> labels,
                       long memoryBytes, long nanoCpus, Map<String, Integer> ports, String hostIp) {
    this(name, image, List.of(), cmd, env, labels, memoryBytes, nanoCpus, 0, false, ports, hostIp);
  }

  /** A spec with only an image and a command. */
  public static ContainerSpec of(String image, String... cmd) {
    return new ContainerSpec(null, image, List.of(cmd), List.of(), Map.of(), 0, 0, Map.of(), "");
  }
}

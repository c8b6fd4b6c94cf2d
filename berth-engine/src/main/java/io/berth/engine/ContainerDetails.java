package io.berth.engine;

import java.util.Map;

/**
 * The parts of {@code docker inspect} Berth reads. {@code publishedPorts} maps "8080/tcp" to the
 * host port the engine chose; {@code cpuShares} is 0 when the engine's default applies.
 */
public record ContainerDetails(String id, String name, String image, boolean running,
                               int exitCode, String startedAt, String finishedAt,
                               Map<String, String> labels, Map<String, Integer> publishedPorts,
                               int cpuShares, boolean privileged) {
  public ContainerDetails {
    labels = Map.copyOf(labels);
    publishedPorts = Map.copyOf(publishedPorts);
  }
}

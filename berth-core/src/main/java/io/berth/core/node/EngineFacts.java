package io.berth.core.node;

/**
 * What a node's engine reports of itself and its host, sent by the agent when it registers.
 *
 * @param cpus logical CPUs the engine may use
 * @param memoryBytes memory the engine may use
 */
public record EngineFacts(String engineVersion, String apiVersion, String operatingSystem,
                          String kernelVersion, String storageDriver, String architecture,
                          int cpus, long memoryBytes) {
  public EngineFacts {
    if (cpus < 0) throw new IllegalArgumentException("cpus must be >= 0: " + cpus);
    if (memoryBytes < 0) throw new IllegalArgumentException("memoryBytes must be >= 0: " + memoryBytes);
  }
}

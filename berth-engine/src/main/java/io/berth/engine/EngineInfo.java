package io.berth.engine;

import java.util.Map;

/** What an engine says of itself and its host ({@code GET /info} and {@code /version}). */
public record EngineInfo(String id, String name, String serverVersion, String apiVersion,
                         String operatingSystem, String osType, String architecture,
                         String kernelVersion, String storageDriver, int cpus, long memoryBytes,
                         Map<String, String> labels) {
  public EngineInfo {
    labels = Map.copyOf(labels);
  }
}

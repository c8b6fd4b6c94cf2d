package io.berth.engine;

import java.util.List;
import java.util.Map;

/**
 * One row of a container listing. {@code state} is the engine's word: created, running, exited …
 * {@code names} are as Docker gives them, with a leading slash ("/web").
 */
public record ContainerSummary(String id, List<String> names, String image, String state,
                               String status, Map<String, String> labels, long created) {
  public ContainerSummary {
    names = List.copyOf(names);
    labels = Map.copyOf(labels);
  }
}

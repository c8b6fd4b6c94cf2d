package io.berth.cluster.wire;

import java.util.List;

/**
 * Everything assigned to one node at store revision {@code revision}. The agent asks again with
 * {@code ?after=revision}; the manager answers when the node's work changes (or after a while with
 * the same list), so the agent always holds the whole list and joins it with its containers.
 */
public record Assignments(long revision, List<Assignment> assignments) {
  public Assignments {
    assignments = List.copyOf(assignments);
  }
}

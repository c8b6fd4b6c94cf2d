package io.berth.cluster.wire;

import java.util.List;

/**
 * Every build run assigned to one node at store revision {@code revision}; as with
 * {@link Assignments}, the agent asks again with {@code ?after=revision} and always holds the whole list.
 */
public record BuildJobs(long revision, List<BuildJob> jobs) {
  public BuildJobs {
    jobs = List.copyOf(jobs);
  }
}

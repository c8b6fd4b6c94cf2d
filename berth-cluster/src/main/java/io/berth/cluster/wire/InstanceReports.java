package io.berth.cluster.wire;

import java.util.List;

/** A batch of {@link InstanceReport}s, POSTed by an agent to {@code /v1/cluster/instances}. */
public record InstanceReports(List<InstanceReport> reports) {
  public InstanceReports {
    reports = List.copyOf(reports);
  }
}

package io.berth.cluster.wire;

import io.berth.core.lrp.PortMapping;
import java.util.List;

/**
 * What an agent saw of one assigned instance or task: its container being made ({@code CLAIMED}),
 * healthy ({@code RUNNING}, with its host ports), ended or unhealthy ({@code CRASHED}, with the
 * reason), or for a task {@code COMPLETED} with {@code failed}, {@code reason} and {@code result}.
 *
 * @param run the assignment's {@code restarts} when the reported run of the container began, so a crash
 *     report sent again after its restart is known for old news; null from an agent that never restarts a
 *     container in place (the manager then places the crashed instance anew)
 */
public record InstanceReport(String kind, String instanceGuid, String processGuid, int index, String state,
                             List<PortMapping> ports, String reason, boolean failed, String result, Integer run) {
  public static final String CLAIMED = "CLAIMED";
  public static final String RUNNING = "RUNNING";
  public static final String CRASHED = "CRASHED";
  public static final String COMPLETED = "COMPLETED";

  public InstanceReport {
    ports = ports == null ? List.of() : List.copyOf(ports);
    reason = reason == null ? "" : reason;
    result = result == null ? "" : result;
  }

  /** A report without a run: an agent that does not restart in place. */
  public InstanceReport(String kind, String instanceGuid, String processGuid, int index, String state,
                        List<PortMapping> ports, String reason, boolean failed, String result) {
    this(kind, instanceGuid, processGuid, index, state, ports, reason, failed, result, null);
  }
}

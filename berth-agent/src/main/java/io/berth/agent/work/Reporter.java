package io.berth.agent.work;

import io.berth.cluster.wire.InstanceReport;
import java.util.List;

/**
 * Where the executor's reports go. {@link #report} must not block for long: an implementation
 * that talks to a manager queues them, and tells {@link Executor#delivered} once they arrived.
 */
public interface Reporter {
  void report(List<InstanceReport> reports);
}

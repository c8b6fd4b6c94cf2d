package io.berth.agent.work;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.PortMapping;
import java.util.List;
import java.util.Map;

/**
 * What the executor remembers of one instance guid beyond what the engine's labels say. Touched
 * only by the loop's pass or by the one step in flight for its guid, never both at once (the busy
 * set hands it over, with a happens-before edge through its concurrent map).
 */
final class Instance {
  final String guid;
  Assignment assignment;
  String containerId;
  List<PortMapping> ports = List.of();
  long startedNanos;
  boolean actionStarted;
  boolean healthy;
  long nextCheckNanos;
  /** Checks failed since the start, before the first success: they space out from 50 ms to the unhealthy interval. */
  int failedChecks;
  /** Checks failed in a row since the instance was last healthy. */
  int failuresInARow;
  int startFailures;
  InstanceReport report;
  boolean finalDelivered;
  /** The uploads its script may ask the agent for, by id ({@link Uploads#of}); null until first looked at. */
  Map<String, Action.Upload> sends;
  long nextUploadPollNanos;
  /** The assignment's {@code restarts} when the container's current run began. */
  int run;

  Instance(String guid, Assignment assignment) {
    this.guid = guid;
    this.assignment = assignment;
    this.run = assignment.restarts();
  }

  /** True when the manager asked for a start in place since this run crashed. */
  boolean restartAsked() {
    return !isTask() && report != null && report.state().equals(InstanceReport.CRASHED) && assignment.restarts() > run;
  }

  /** Forgets the crashed run: what a new run of the same container starts from. */
  void newRun() {
    run = assignment.restarts();
    report = null;
    finalDelivered = false;
    actionStarted = false;
    healthy = false;
    failedChecks = 0;
    failuresInARow = 0;
    startFailures = 0;
    sends = null;
  }

  boolean isFinal() {
    return report != null && (report.state().equals(InstanceReport.CRASHED) || report.state().equals(InstanceReport.COMPLETED));
  }

  boolean isTask() {
    return Assignment.TASK.equals(assignment.kind());
  }
}

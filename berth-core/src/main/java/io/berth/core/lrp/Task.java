package io.berth.core.lrp;

import io.berth.core.id.Domain;
import io.berth.core.id.NodeName;
import io.berth.core.id.TaskGuid;
import java.util.List;
import java.util.Map;

/**
 * A one-off piece of work, run at most once, in the Receptor's {@code TaskResponse} shape. The
 * request fields come first; {@code state} and what follows are Berth's to write. Times are
 * nanoseconds since the epoch.
 */
public record Task(TaskGuid taskGuid, Domain domain, String rootfs, List<Action.EnvVar> env, int cpuWeight, int diskMb,
                   int memoryMb, boolean privileged, Action action, String resultFile, String completionCallbackUrl,
                   String logGuid, String logSource, String metricsGuid, String annotation,
                   List<Map<String, Object>> egressRules,
                   TaskState state, NodeName cellId, boolean failed, String failureReason, String result, long createdAt) {
  public Task {
    env = env == null ? List.of() : List.copyOf(env);
    egressRules = egressRules == null ? List.of() : List.copyOf(egressRules);
  }

  /** The task as created: PENDING on no cell, no outcome yet, created at {@code now}. */
  public Task pending(long now) {
    return new Task(taskGuid, domain, rootfs, env, cpuWeight, diskMb, memoryMb, privileged, action, resultFile,
        completionCallbackUrl, logGuid, logSource, metricsGuid, annotation, egressRules, TaskState.PENDING, NodeName.NONE, false, "", "", now);
  }

  /** The task in {@code next} state on {@code cell}. */
  public Task in(TaskState next, NodeName cell) {
    return new Task(taskGuid, domain, rootfs, env, cpuWeight, diskMb, memoryMb, privileged, action, resultFile,
        completionCallbackUrl, logGuid, logSource, metricsGuid, annotation, egressRules, next, cell, failed, failureReason,
        result, createdAt);
  }

  /** The task COMPLETED with its outcome. */
  public Task completed(boolean failed, String failureReason, String result) {
    return new Task(taskGuid, domain, rootfs, env, cpuWeight, diskMb, memoryMb, privileged, action, resultFile,
        completionCallbackUrl, logGuid, logSource, metricsGuid, annotation, egressRules, TaskState.COMPLETED, cellId, failed,
        failureReason == null ? "" : failureReason, result == null ? "" : result, createdAt);
  }

  public String image() {
    return Rootfs.image(rootfs);
  }
}

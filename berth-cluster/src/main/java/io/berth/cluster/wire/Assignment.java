package io.berth.cluster.wire;

import io.berth.core.lrp.Action;
import io.berth.core.lrp.HealthCheck;
import java.util.List;

/**
 * One piece of work for one node, as the manager streams it to the node's agent: an LRP instance
 * (process guid, index, instance guid) or a task ({@code kind} "task", {@code processGuid} the task
 * guid, index 0). Everything the agent needs to create the container and run its actions is here,
 * so an agent never reads the store.
 *
 * @param image the Docker image reference ({@code busybox:1}, {@code host:5000/app:2})
 * @param ports container ports to publish on the node's address, each on a free host port
 * @param startTimeout seconds the instance may take to become healthy (0: no limit)
 * @param resultFile for a task: the file whose content is its result
 * @param restarts how many times the manager has had this instance's container started again in place
 *     after a crash (Diego's immediate restarts): each increase asks the agent for one more start
 */
public record Assignment(String kind, String instanceGuid, String processGuid, int index, String domain, String image,
                         List<Action.EnvVar> env, int cpuWeight, int diskMb, int memoryMb, boolean privileged,
                         Action setup, Action action, Action monitor, HealthCheck healthCheck, int startTimeout,
                         List<Integer> ports, String logGuid, String logSource, String resultFile, int restarts) {
  public static final String LRP = "lrp";
  public static final String TASK = "task";

  public Assignment {
    env = env == null ? List.of() : List.copyOf(env);
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** A first assignment: never restarted. */
  public Assignment(String kind, String instanceGuid, String processGuid, int index, String domain, String image,
                    List<Action.EnvVar> env, int cpuWeight, int diskMb, int memoryMb, boolean privileged,
                    Action setup, Action action, Action monitor, HealthCheck healthCheck, int startTimeout,
                    List<Integer> ports, String logGuid, String logSource, String resultFile) {
    this(kind, instanceGuid, processGuid, index, domain, image, env, cpuWeight, diskMb, memoryMb, privileged, setup, action,
        monitor, healthCheck, startTimeout, ports, logGuid, logSource, resultFile, 0);
  }

  /** The same work, asking for one more start in place. */
  public Assignment restartedOnce() {
    return new Assignment(kind, instanceGuid, processGuid, index, domain, image, env, cpuWeight, diskMb, memoryMb, privileged,
        setup, action, monitor, healthCheck, startTimeout, ports, logGuid, logSource, resultFile, restarts + 1);
  }
}

package io.berth.core.lrp;

import io.berth.core.id.Domain;
import io.berth.core.id.ProcessGuid;
import java.util.List;
import java.util.Map;

/**
 * What the user asked for: {@code instances} copies of one process, kept running. The system never
 * rewrites it; only {@code instances}, {@code routes} and {@code annotation} change in place (a
 * {@link DesiredLrpUpdate}), anything else needs a new DesiredLRP, as in Diego.
 *
 * <p>{@code rootfs} is {@code docker:///image#tag} or {@code docker://host:port/image#tag};
 * {@code startTimeout} is in seconds (0: no limit); {@code routes} is opaque to Berth's core.
 */
public record DesiredLrp(ProcessGuid processGuid, Domain domain, String rootfs, int instances, List<Action.EnvVar> env,
                         int cpuWeight, int diskMb, int memoryMb, boolean privileged,
                         Action setup, Action action, Action monitor, HealthCheck healthCheck, int startTimeout,
                         List<Integer> ports, Map<String, Object> routes,
                         String logGuid, String logSource, String metricsGuid, String annotation,
                         List<Map<String, Object>> egressRules, ModificationTag modificationTag) {
  public DesiredLrp {
    env = env == null ? List.of() : List.copyOf(env);
    ports = ports == null ? List.of() : List.copyOf(ports);
    routes = routes == null ? Map.of() : Map.copyOf(routes);
    egressRules = egressRules == null ? List.of() : List.copyOf(egressRules);
  }

  /** This LRP with the changes an update request allows. */
  public DesiredLrp with(DesiredLrpUpdate u) {
    return new DesiredLrp(processGuid, domain, rootfs, u.instances() != null ? u.instances() : instances, env,
        cpuWeight, diskMb, memoryMb, privileged, setup, action, monitor, healthCheck, startTimeout, ports,
        u.routes() != null ? u.routes() : routes, logGuid, logSource, metricsGuid,
        u.annotation() != null ? u.annotation() : annotation, egressRules, modificationTag.next());
  }

  /** This LRP carrying {@code tag}. */
  public DesiredLrp tagged(ModificationTag tag) {
    return new DesiredLrp(processGuid, domain, rootfs, instances, env, cpuWeight, diskMb, memoryMb, privileged,
        setup, action, monitor, healthCheck, startTimeout, ports, routes, logGuid, logSource, metricsGuid, annotation,
        egressRules, tag);
  }

  /** The Docker image reference named by {@code rootfs} ({@code docker:///busybox#1} → {@code busybox:1}). */
  public String image() {
    return Rootfs.image(rootfs);
  }
}

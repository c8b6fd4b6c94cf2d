package io.berth.agent.work;

import io.berth.cluster.wire.Assignment;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.PortMapping;
import io.berth.engine.ContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The container of one assignment: its name, labels, environment and published ports. Pure.
 *
 * <p>Mappings: {@code memory_mb} → Memory (bytes); {@code cpu_weight} → CpuShares as Garden does
 * ({@code 1024 * weight / 100}, at least 2; 0 keeps Docker's 1024); {@code privileged} →
 * Privileged; {@code disk_mb} is not enforced (Docker's {@code --storage-opt size} works only on
 * overlay2 over xfs with pquota, devicemapper, btrfs or zfs) and is only recorded as the label
 * {@code io.berth.reserved.disk}.
 */
final class ContainerPlan {
  static final String INSTANCE_GUID = "io.berth.instance-guid";
  static final String PROCESS_GUID = "io.berth.process-guid";
  static final String INDEX = "io.berth.index";
  static final String KIND = "io.berth.kind";
  static final String DOMAIN = "io.berth.domain";
  static final String HOST_PORTS = "io.berth.host-ports";
  static final String RESERVED_MEMORY = "io.berth.reserved.memory";
  static final String RESERVED_CPUS = "io.berth.reserved.cpus";
  static final String RESERVED_DISK = "io.berth.reserved.disk";

  private ContainerPlan() {}

  static ContainerSpec spec(Assignment a, String nodeIp, List<PortMapping> ports) {
    return spec(a, nodeIp, ports, null, null);
  }

  /**
   * The container; with {@code boundBusybox} (a path on the engine's host) the busybox is bind-mounted
   * read-only at {@code /.berth/busybox} instead of copied in — 2 MB less to write per container — and with
   * {@code instanceDir} ({@link InstanceDirs}) that directory is {@code /.berth} itself.
   */
  static ContainerSpec spec(Assignment a, String nodeIp, List<PortMapping> ports, Path boundBusybox, Path instanceDir) {
    Map<String, Integer> published = new LinkedHashMap<>();
    ports.forEach(p -> published.put(p.containerPort() + "/tcp", p.hostPort()));
    List<String> binds = new ArrayList<>();
    if (instanceDir != null) binds.add(instanceDir.toAbsolutePath() + ":" + ScriptCompiler.DIR);
    if (boundBusybox != null) binds.add(boundBusybox.toAbsolutePath() + ":" + ScriptCompiler.BUSYBOX + ":ro");
    return new ContainerSpec(name(a), a.image(), List.of(ScriptCompiler.BUSYBOX), List.of("sh", ScriptCompiler.MAIN),
        env(a, nodeIp, ports), labels(a, ports), (long) a.memoryMb() << 20, 0, cpuShares(a.cpuWeight()),
        a.privileged(), published, nodeIp, binds);
  }

  static int cpuShares(int cpuWeight) {
    return cpuWeight <= 0 ? 0 : Math.max(2, Math.round(1024f * Math.min(cpuWeight, 100) / 100));
  }

  /** Unique per instance guid, readable in {@code docker ps}: berth-PROCESS-INDEX-GUID8 or berth-task-GUID. */
  static String name(Assignment a) {
    String guid = clean(a.instanceGuid());
    if (Assignment.TASK.equals(a.kind())) return "berth-task-" + clean(a.processGuid()) + "-" + guid.substring(0, Math.min(8, guid.length()));
    String process = clean(a.processGuid());
    return "berth-" + process.substring(0, Math.min(40, process.length())) + "-" + a.index() + "-"
        + guid.substring(0, Math.min(8, guid.length()));
  }

  private static String clean(String s) {
    String c = s == null ? "x" : s.replaceAll("[^a-zA-Z0-9_.-]", "-");
    return c.isEmpty() ? "x" : c;
  }

  static Map<String, String> labels(Assignment a, List<PortMapping> ports) {
    Map<String, String> l = new HashMap<>();
    l.put(INSTANCE_GUID, a.instanceGuid());
    l.put(PROCESS_GUID, a.processGuid());
    l.put(INDEX, Integer.toString(a.index()));
    l.put(KIND, a.kind());
    l.put(DOMAIN, a.domain() == null ? "" : a.domain());
    l.put(HOST_PORTS, ports.stream().map(p -> p.containerPort() + ":" + p.hostPort()).collect(Collectors.joining(",")));
    l.put(RESERVED_MEMORY, Long.toString((long) a.memoryMb() << 20));
    l.put(RESERVED_CPUS, "0"); // cpu_weight is a relative share, not a reservation: nothing is held back
    if (a.diskMb() > 0) l.put(RESERVED_DISK, Long.toString((long) a.diskMb() << 20));
    return l;
  }

  /** The port mappings an agent recorded on a container, from its {@link #HOST_PORTS} label. */
  static List<PortMapping> ports(Map<String, String> labels) {
    String s = labels.getOrDefault(HOST_PORTS, "");
    List<PortMapping> out = new ArrayList<>();
    for (String pair : s.split(",")) {
      int colon = pair.indexOf(':');
      if (colon > 0) out.add(new PortMapping(Integer.parseInt(pair.substring(0, colon)), Integer.parseInt(pair.substring(colon + 1))));
    }
    return out;
  }

  /**
   * The container-level environment, in Diego's order: the assignment's, then (LRPs only) the
   * instance variables, which win. A run action's env is exported on top by the script.
   */
  static List<String> env(Assignment a, String nodeIp, List<PortMapping> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Action.EnvVar e : a.env()) env.put(e.name(), e.value());
    if (Assignment.LRP.equals(a.kind())) {
      env.put("INSTANCE_GUID", a.instanceGuid());
      env.put("INSTANCE_INDEX", Integer.toString(a.index()));
      env.put("CF_INSTANCE_GUID", a.instanceGuid());
      env.put("CF_INSTANCE_INDEX", Integer.toString(a.index()));
      env.put("CF_INSTANCE_IP", nodeIp);
      String first = ports.isEmpty() ? "" : Integer.toString(ports.get(0).hostPort());
      env.put("CF_INSTANCE_PORT", first);
      env.put("CF_INSTANCE_ADDR", ports.isEmpty() ? "" : nodeIp + ":" + first);
      env.put("CF_INSTANCE_PORTS", ports.stream().map(p -> "{\"external\":" + p.hostPort() + ",\"internal\":" + p.containerPort() + "}")
          .collect(Collectors.joining(",", "[", "]")));
      if (!ports.isEmpty()) env.put("PORT", Integer.toString(ports.get(0).containerPort()));
    }
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}

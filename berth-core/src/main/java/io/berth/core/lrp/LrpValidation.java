package io.berth.core.lrp;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Receptor's rules for what a client may ask for (lrps.md, tasks.md, actions.md), checked
 * before anything is stored. Every problem is found, not just the first, and named by its field's
 * JSON path ({@code action.serial.actions[1].run.path: required}); they are thrown together as one
 * {@link io.berth.core.error.BerthException.Invalid} (see {@link Problems}).
 *
 * <p>The size of {@code routes} is that of its JSON, which only the edge can measure (core has no
 * JSON), so the caller passes it in.
 */
public final class LrpValidation {
  /** Diego sets no bound; one LRP asking for more than this is a typo, not a plan. */
  public static final int MAX_INSTANCES = 10_000;
  /** Diego sets no bound either; each port is a host port on every node an instance lands on. */
  public static final int MAX_PORTS = 100;
  /** lrps.md: "The total length of the routing information must not exceed 4096 bytes." */
  public static final int MAX_ROUTES_BYTES = 4096;
  /** lrps.md, tasks.md: "The annotation must not exceed 10 kilobytes in size" (UTF-8 bytes). */
  public static final int MAX_ANNOTATION_BYTES = 10 * 1024;

  private static final Pattern GUID = Pattern.compile("[a-zA-Z0-9_-]+");

  private LrpValidation() {}

  /** Checks a DesiredLRP create request whose {@code routes} took {@code routesJsonBytes} bytes of JSON. */
  public static void desiredLrp(DesiredLrp lrp, int routesJsonBytes) {
    Problems p = new Problems();
    guid(p, "process_guid", raw(lrp.processGuid()));
    required(p, "domain", raw(lrp.domain()));
    rootfs(p, lrp.rootfs());
    instances(p, lrp.instances());
    env(p, "env", lrp.env());
    limits(p, lrp.cpuWeight(), lrp.diskMb(), lrp.memoryMb());
    if (lrp.setup() != null) ActionChecks.check(p, "setup", lrp.setup());
    if (lrp.action() == null) p.add("action", "required");
    else ActionChecks.check(p, "action", lrp.action());
    if (lrp.monitor() != null) ActionChecks.check(p, "monitor", lrp.monitor());
    if (lrp.startTimeout() < 0) p.add("start_timeout", "must be >= 0 seconds, got " + lrp.startTimeout());
    ports(p, lrp.ports());
    if (lrp.healthCheck() != null) healthCheck(p, lrp.healthCheck(), lrp.ports());
    routes(p, routesJsonBytes);
    annotation(p, lrp.annotation());
    EgressRuleChecks.check(p, lrp.egressRules());
    p.throwIfAny();
  }

  /** Checks a DesiredLRP update request whose {@code routes} took {@code routesJsonBytes} bytes of JSON (0 when absent). */
  public static void update(DesiredLrpUpdate u, int routesJsonBytes) {
    Problems p = new Problems();
    if (u.instances() != null) instances(p, u.instances());
    routes(p, routesJsonBytes);
    annotation(p, u.annotation());
    p.throwIfAny();
  }

  /** Checks a Task create request. */
  public static void task(Task t) {
    Problems p = new Problems();
    guid(p, "task_guid", raw(t.taskGuid()));
    required(p, "domain", raw(t.domain()));
    rootfs(p, t.rootfs());
    env(p, "env", t.env());
    limits(p, t.cpuWeight(), t.diskMb(), t.memoryMb());
    if (t.action() == null) p.add("action", "required");
    else ActionChecks.check(p, "action", t.action());
    if (present(t.resultFile()) && !t.resultFile().startsWith("/")) {
      p.add("result_file", "must be an absolute path, got " + Problems.quote(t.resultFile()));
    }
    if (present(t.completionCallbackUrl())) ActionChecks.url(p, "completion_callback_url", t.completionCallbackUrl());
    annotation(p, t.annotation());
    EgressRuleChecks.check(p, t.egressRules());
    p.throwIfAny();
  }

  /** The raw string of an id as the request gave it, null when absent. */
  private static String raw(Object id) {
    return id == null ? null : id.toString();
  }

  private static void guid(Problems p, String field, String guid) {
    if (!present(guid)) p.add(field, "required");
    else if (!GUID.matcher(guid).matches()) {
      p.add(field, "may contain only a-z, A-Z, 0-9, '_' and '-', got " + Problems.quote(guid));
    }
  }

  private static void required(Problems p, String field, String value) {
    if (!present(value)) p.add(field, "required");
  }

  private static void rootfs(Problems p, String rootfs) {
    if (!present(rootfs)) {
      p.add("rootfs", "required");
    } else if (rootfs.startsWith("preloaded:")) {
      p.add("rootfs", "Berth has no preloaded root filesystems; give a Docker image as docker:///IMAGE#TAG, got "
          + Problems.quote(rootfs));
    } else {
      try {
        Rootfs.image(rootfs);
      } catch (IllegalArgumentException e) {
        // Rootfs's sentences start with the word "rootfs"; the field name already says it.
        p.add("rootfs", e.getMessage().replaceFirst("^rootfs ", ""));
      }
    }
  }

  private static void instances(Problems p, int n) {
    if (n < 0 || n > MAX_INSTANCES) p.add("instances", "must be between 0 and " + MAX_INSTANCES + ", got " + n);
  }

  static void env(Problems p, String path, List<Action.EnvVar> env) {
    for (int i = 0; i < env.size(); i++) {
      Action.EnvVar v = env.get(i);
      if (!present(v.name())) p.add(path + "[" + i + "].name", "required");
      else if (v.name().contains("=")) p.add(path + "[" + i + "].name", "must not contain '=', got " + Problems.quote(v.name()));
    }
  }

  private static void limits(Problems p, int cpuWeight, int diskMb, int memoryMb) {
    // 0 is Go's zero value in Diego: "not set", the default share.
    if (cpuWeight != 0 && (cpuWeight < 1 || cpuWeight > 100)) p.add("cpu_weight", "must be between 1 and 100, got " + cpuWeight);
    if (diskMb < 0) p.add("disk_mb", "must be >= 0, got " + diskMb);
    if (memoryMb < 0) p.add("memory_mb", "must be >= 0, got " + memoryMb);
  }

  private static void ports(Problems p, List<Integer> ports) {
    if (ports.size() > MAX_PORTS) p.add("ports", "at most " + MAX_PORTS + " ports, got " + ports.size());
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      if (port < 1 || port > 65535) p.add("ports[" + i + "]", "must be between 1 and 65535, got " + port);
      else if (!seen.add(port)) p.add("ports[" + i + "]", port + " is listed twice");
    }
  }

  private static void healthCheck(Problems p, HealthCheck h, List<Integer> ports) {
    if (h.type() == null) p.add("health_check.type", "required: tcp or http");
    if (!ports.contains(h.port())) {
      p.add("health_check.port", ports.isEmpty() ? "the LRP has no ports to check; add " + h.port() + " to ports"
          : "must be one of the LRP's ports " + ports + ", got " + h.port());
    }
    if (h.type() == HealthCheck.Kind.HTTP) {
      if (!present(h.path())) p.add("health_check.path", "required for an http check, e.g. \"/\"");
      else if (!h.path().startsWith("/")) p.add("health_check.path", "must start with '/', got " + Problems.quote(h.path()));
    } else if (h.type() == HealthCheck.Kind.TCP && present(h.path())) {
      p.add("health_check.path", "only for an http check; a tcp check has no path");
    }
  }

  private static void routes(Problems p, int routesJsonBytes) {
    if (routesJsonBytes > MAX_ROUTES_BYTES) {
      p.add("routes", "must be at most " + MAX_ROUTES_BYTES + " bytes of JSON, got " + routesJsonBytes);
    }
  }

  private static void annotation(Problems p, String annotation) {
    if (annotation == null) return;
    int bytes = annotation.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_ANNOTATION_BYTES) p.add("annotation", "must be at most " + MAX_ANNOTATION_BYTES + " bytes, got " + bytes);
  }

  static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}

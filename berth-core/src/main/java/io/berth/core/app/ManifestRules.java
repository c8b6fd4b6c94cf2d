package io.berth.core.app;

import io.berth.core.Durations;
import io.berth.core.app.AppManifest.Deploy;
import io.berth.core.app.AppManifest.Health;
import io.berth.core.lrp.Problems;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a manifest as read into a complete one: absent top-level fields come from the app's
 * previous version (so a deploy may name only {@code name} and {@code image}), then from the
 * defaults; then every field is checked and every problem named by its path, before anything
 * changes (docs/apps.md lists the fields, defaults and rules).
 */
public final class ManifestRules {
  public static final int MAX_INSTANCES = 1000;
  public static final String DEFAULT_GROUP = "default";
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
  static final Pattern GROUP = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
  static final Pattern HOST = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern MEMORY = Pattern.compile("(\\d+)([kmg])", Pattern.CASE_INSENSITIVE);
  static final Pattern IMAGE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._:/@-]*");

  private ManifestRules() {}

  /**
   * The complete manifest for a new version of an app: {@code m} over {@code previous} (the app's
   * current version, if any); {@code instances} absent keeps {@code currentInstances} (what the app
   * runs now, scaled or not). Throws {@code InvalidManifest} naming every problem.
   */
  public static AppManifest resolve(AppManifest m, Optional<AppManifest> previous, Optional<Integer> currentInstances) {
    AppManifest p = previous.orElse(null);
    Integer instances = m.instances() != null ? m.instances() : currentInstances.orElse(p == null ? 1 : p.instances());
    AppManifest r = new AppManifest(
        m.name(),
        pick(m.image(), p == null ? null : p.image(), null),
        pick(m.command(), p == null ? null : p.command(), null),
        instances,
        pick(m.cpus(), p == null ? null : p.cpus(), 0.1),
        pick(m.memory(), p == null ? null : p.memory(), "128m"),
        pick(m.env(), p == null ? null : p.env(), Map.of()),
        pick(m.ports(), p == null ? null : p.ports(), List.of()),
        health(pick(m.health(), p == null ? null : p.health(), null)),
        pick(m.routes(), p == null ? null : p.routes(), List.of()),
        pick(m.routerGroup(), p == null ? null : p.routerGroup(), DEFAULT_GROUP),
        deploy(pick(m.deploy(), p == null ? null : p.deploy(), new Deploy(null, null, null, null, null, null))),
        pick(m.alerts(), p == null ? null : p.alerts(), List.of()),
        m.autoscale()); // not carried over: a deploy that names it sets the app's autoscaling, one that does not leaves it
    check(r);
    return new AppManifest(r.name(), r.image(), r.command(), r.instances(), r.cpus(), r.memory().toLowerCase(Locale.ROOT),
        new TreeMap<>(r.env()), r.ports(), r.health(), r.routes(), r.routerGroup(), r.deploy(), ManifestAlerts.filled(r), r.autoscale());
  }

  private static <T> T pick(T given, T previous, T fallback) {
    return given != null ? given : previous != null ? previous : fallback;
  }

  private static Health health(Health h) {
    if (h == null) return null;
    return new Health(h.http(), h.port(), pick(h.interval(), null, "2s"), pick(h.timeout(), null, "1s"),
        pick(h.startTimeout(), null, "60s"));
  }

  private static Deploy deploy(Deploy d) {
    return new Deploy(pick(d.strategy(), null, AppManifest.Strategy.ROLLING), pick(d.maxSurge(), null, 1),
        pick(d.maxUnavailable(), null, 0), pick(d.minHealthy(), null, "0s"), pick(d.canaries(), null, 1),
        pick(d.deadline(), null, "5m"));
  }

  static void check(AppManifest m) {
    Problems p = new Problems();
    checkProcess(p, m);
    Set<Integer> ports = checkPorts(p, m);
    checkHealth(p, m, ports);
    checkRoutes(p, m);
    checkDeploy(p, m.deploy());
    ManifestAlerts.check(p, m);
    if (m.autoscale() != null) m.autoscale().check(p, "autoscale", MAX_INSTANCES);
    p.throwIfAny("InvalidManifest");
  }

  /** The name, image, command, instances, cpus, memory and env. */
  private static void checkProcess(Problems p, AppManifest m) {
    if (m.name() == null || m.name().isBlank()) p.add("name", "required");
    else if (!NAME.matcher(m.name()).matches()) {
      p.add("name", "must be 1-32 lower-case letters, digits and '-', starting and ending with a letter or digit, got "
          + Problems.quote(m.name()));
    }
    if (m.image() == null || m.image().isBlank()) p.add("image", "required (e.g. berth/busybox:1 or 127.0.0.1:5000/team/app:v1)");
    else if (!IMAGE.matcher(m.image()).matches()) p.add("image", "not an image reference: " + Problems.quote(m.image()));
    if (m.command() == null || m.command().isEmpty()) p.add("command", "required: the process to run, e.g. [httpd, -f, -p, \"8080\"]");
    else for (int i = 0; i < m.command().size(); i++) {
      if (m.command().get(i) == null) p.add("command[" + i + "]", "must be a string");
    }
    if (m.command() != null && !m.command().isEmpty() && m.command().get(0) != null && m.command().get(0).isBlank()) {
      p.add("command[0]", "must name a program");
    }
    if (m.instances() < 0 || m.instances() > MAX_INSTANCES) p.add("instances", "must be from 0 to " + MAX_INSTANCES + ", got " + m.instances());
    if (!(m.cpus() > 0) || m.cpus() > 256) p.add("cpus", "must be more than 0 and at most 256, got " + m.cpus());
    if (!MEMORY.matcher(m.memory()).matches()) p.add("memory", "must be a size like 64m or 1g, got " + Problems.quote(m.memory()));
    else if (memoryMb(m.memory()) < 4) p.add("memory", "must be at least 4m, got " + m.memory());
    for (String k : m.env().keySet()) {
      if (!ENV_NAME.matcher(k).matches()) p.add("env." + k, "not a variable name (letters, digits and '_', not starting with a digit)");
      if (m.env().get(k) == null) p.add("env." + k, "must be a string (quote it)");
    }
  }

  /** The ports, each once; returns the valid ones. */
  private static Set<Integer> checkPorts(Problems p, AppManifest m) {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < m.ports().size(); i++) {
      Integer port = m.ports().get(i);
      if (port == null || port < 1 || port > 65535) p.add("ports[" + i + "]", "must be a port from 1 to 65535, got " + port);
      else if (!ports.add(port)) p.add("ports[" + i + "]", "port " + port + " is listed twice");
    }
    return ports;
  }

  /** The health check, whose port must be one of {@code ports}. */
  private static void checkHealth(Problems p, AppManifest m, Set<Integer> ports) {
    Health h = m.health();
    if (h == null) return;
    if (h.port() == null) p.add("health.port", "required: the container port to check");
    else if (!ports.contains(h.port())) p.add("health.port", h.port() + " is not in ports " + m.ports());
    if (h.http() != null && !h.http().startsWith("/")) p.add("health.http", "must be a path starting with '/', got " + Problems.quote(h.http()));
    Duration interval = duration(p, "health.interval", h.interval());
    Duration timeout = duration(p, "health.timeout", h.timeout());
    duration(p, "health.start_timeout", h.startTimeout());
    if (interval != null && interval.isZero()) p.add("health.interval", "must be more than 0");
    if (interval != null && timeout != null && (timeout.isZero() || timeout.compareTo(interval) > 0)) {
      p.add("health.timeout", "must be more than 0 and at most the interval (" + h.interval() + "), got " + h.timeout());
    }
  }

  /** The routes, each once, which need a port, and the router group. */
  private static void checkRoutes(Problems p, AppManifest m) {
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < m.routes().size(); i++) {
      String r = m.routes().get(i);
      if (r == null || !HOST.matcher(r).matches()) p.add("routes[" + i + "]", "must be a lower-case host name like hello.berth.local, got " + (r == null ? "null" : Problems.quote(r)));
      else if (!seen.add(r)) p.add("routes[" + i + "]", r + " is listed twice");
    }
    if (!m.routes().isEmpty() && m.ports().isEmpty()) p.add("routes", "need a port to send traffic to: add ports: [8080]");
    if (!GROUP.matcher(m.routerGroup()).matches()) p.add("router_group", "must be lower-case letters, digits and '-', got " + Problems.quote(m.routerGroup()));
  }

  private static void checkDeploy(Problems p, Deploy d) {
    if (d.maxSurge() < 0) p.add("deploy.max_surge", "must be >= 0, got " + d.maxSurge());
    if (d.maxUnavailable() < 0) p.add("deploy.max_unavailable", "must be >= 0, got " + d.maxUnavailable());
    if (d.maxSurge() == 0 && d.maxUnavailable() == 0) {
      p.add("deploy", "max_surge and max_unavailable cannot both be 0: no instance could ever be replaced");
    }
    if (d.canaries() < 1) p.add("deploy.canaries", "must be at least 1, got " + d.canaries());
    duration(p, "deploy.min_healthy", d.minHealthy());
    Duration deadline = duration(p, "deploy.deadline", d.deadline());
    if (deadline != null && deadline.isZero()) p.add("deploy.deadline", "must be more than 0");
  }

  private static Duration duration(Problems p, String path, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      p.add(path, e.getMessage());
      return null;
    }
  }

  /** {@code 64m} → 64, {@code 1g} → 1024, {@code 512k} → 0 (rounded down). */
  public static int memoryMb(String memory) {
    Matcher mm = MEMORY.matcher(memory);
    if (!mm.matches()) throw new IllegalArgumentException("not a size: " + memory);
    long n = Long.parseLong(mm.group(1));
    long mb = switch (Character.toLowerCase(mm.group(2).charAt(0))) {
      case 'k' -> n / 1024;
      case 'm' -> n;
      default -> n * 1024;
    };
    return (int) Math.min(Integer.MAX_VALUE, mb);
  }
}

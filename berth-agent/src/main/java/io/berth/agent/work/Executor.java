package io.berth.agent.work;

import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.engine.ContainerEngine;
import io.berth.engine.ContainerEvent;
import io.berth.engine.ContainerSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's assigned LRP instances and tasks in containers of its engine, joined to them by
 * the label {@code io.berth.instance-guid}. One {@link ReconcileLoop} makes passes; a pass lists
 * the engine's containers, joins them with the whole assignment list and starts at most one step
 * per instance, run on its own thread. Engine events, a new assignment list and the end of a step
 * only signal the loop; a timer forces a pass, so it is level-triggered.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Nothing is created or removed before the first assignment list arrives: an agent that
 *       restarts without its manager leaves every container alone.
 *   <li>At most one container per instance guid: a pass creates one only when the engine shows
 *       none with that guid, no step for it was in flight when the listing began, and the
 *       executor never made one for it before (a container that vanished is a crash, not a hole).
 *   <li>A container already there for an assigned guid is adopted, never replaced.
 *   <li>Only containers carrying the instance-guid label are ever stopped or removed, and only
 *       when no assignment names their guid, or after their final state was delivered.
 *   <li>COMPLETED is final. CRASHED ends a run: the guid's container runs again only when the manager
 *       raises the assignment's {@code restarts} (a start in place), never by the agent's own choice.
 * </ul>
 */
public final class Executor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Executor.class);

  /**
   * How the executor runs: the node's address (ports are published and health-checked there), the
   * agent's data dir (download cache), the static busybox copied into containers, the host port
   * range, health-check intervals before and after the first success, the forced-pass and
   * report-resend intervals, and docker stop's grace period.
   */
  public record Config(String nodeIp, Path dataDir, Path busybox, int portMin, int portMax,
                       Duration unhealthyInterval, Duration healthyInterval, Duration fullPass,
                       Duration resend, Duration stopGrace) {
    /** Diego's intervals (0.5 s, 30 s), ports 61000-61999, a pass every 5 s, reports resent every 10 s. */
    public static Config defaults(String nodeIp, Path dataDir) {
      return new Config(nodeIp, dataDir, Path.of("/bin/busybox"), 61000, 61999, Duration.ofMillis(500),
          Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    public Config withIntervals(Duration unhealthy, Duration healthy) {
      return new Config(nodeIp, dataDir, busybox, portMin, portMax, unhealthy, healthy, fullPass, resend, stopGrace);
    }

    public Config withPorts(int min, int max) {
      return new Config(nodeIp, dataDir, busybox, min, max, unhealthyInterval, healthyInterval, fullPass, resend, stopGrace);
    }
  }

  final Config config;
  final ContainerEngine engine;
  final Reporter reporter;
  final LongSupplier nanos;
  final InstanceSteps steps;
  private final StepRunners runners;
  private final Map<String, Instance> instances = new HashMap<>(); // by guid; the loop's own
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  final Exits exits = new Exits();
  private volatile List<Assignment> assigned; // null until the first list arrives
  volatile RegistryAuth registryAuth = RegistryAuth.NONE;
  private long lastResend;
  private long lastSweep;
  private boolean swept;
  private final ReconcileLoop loop;
  private AutoCloseable events;

  Executor(Config config, ContainerEngine engine, Reporter reporter, LongSupplier nanos,
           java.util.concurrent.Executor stepRunner, HostPorts ports) {
    this(config, engine, reporter, nanos, stepRunner, stepRunner, ports);
  }

  Executor(Config config, ContainerEngine engine, Reporter reporter, LongSupplier nanos,
           java.util.concurrent.Executor stepRunner, java.util.concurrent.Executor createRunner, HostPorts ports) {
    this.config = config;
    this.engine = engine;
    this.reporter = reporter;
    this.nanos = nanos;
    this.runners = new StepRunners(stepRunner, createRunner, this::wake);
    this.steps = new InstanceSteps(this, ports, new Fetcher(config.dataDir()));
    // A platform thread: a pass lists the engine's containers through native calls, which would pin
    // a virtual thread's carrier. A failed pass (the engine gone a moment) is tried again each second.
    this.loop = ReconcileLoop.named("agent-executor").platformThread().every(config.fullPass())
        .minGap(Duration.ofNanos(MIN_PASS_GAP_NANOS)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .onFailure(e -> log.warn("executor-pass-failed: {}", e.toString())).buildPaced(() -> Duration.ofNanos(pass()));
  }

  /** An executor on the system's nano clock, its steps on platform threads ({@link StepRunners}); call {@link #start()}. */
  public static Executor create(Config config, ContainerEngine engine, Reporter reporter) {
    return new Executor(config, engine, reporter, System::nanoTime, StepRunners.platformSteps(), StepRunners.platformCreates(),
        new HostPorts(config.portMin(), config.portMax(), HostPorts.bindable(config.nodeIp())));
  }

  /** Where pulls get their credentials (Berth's registry needs a token from the manager). */
  public Executor registryAuth(RegistryAuth auth) {
    this.registryAuth = auth;
    return this;
  }

  /** Starts the loop and the engine's event stream. */
  public Executor start() {
    events = engine.events(this::onEvent);
    loop.signal(); // the first pass at once
    loop.start();
    return this;
  }

  /** Called by the engine's event stream; must not block. */
  void onEvent(ContainerEvent e) {
    if (!e.labels().containsKey(ContainerPlan.INSTANCE_GUID)) return;
    if (e.action().equals("die")) {
      exits.died(e.id(), e.exitCode());
      wake();
    } else if (e.action().equals("start")) {
      exits.started(e.id());
      wake();
    } else if (!e.action().startsWith("exec_") && !e.action().startsWith("archive")) {
      wake(); // our own execs and archive reads would only wake the loop for nothing
    }
  }

  /** The whole list of work assigned to this node now. */
  public void assign(List<Assignment> assignments) {
    this.assigned = List.copyOf(assignments);
    wake();
  }

  /** The manager has these reports: a final one lets the executor remove its container. */
  public void delivered(List<InstanceReport> reports) {
    boolean any = false;
    for (InstanceReport r : reports) {
      if (r.state().equals(InstanceReport.CRASHED) || r.state().equals(InstanceReport.COMPLETED)) {
        any |= delivered.add(r.instanceGuid());
      }
    }
    if (any) wake();
  }

  void wake() {
    loop.signal();
  }

  /**
   * Passes start at least this far apart: during a burst every container's events and every
   * step's end wake the loop, and each pass lists the engine's containers — on an engine busy
   * starting dozens of them, that listing competes with the starts themselves.
   */
  static final long MIN_PASS_GAP_NANOS = 50_000_000L;

  /** One pass; returns the nanoseconds until the next one is due. Synchronized: tests call it too. */
  synchronized long pass() {
    long now = nanos.getAsLong();
    List<Assignment> work = assigned;
    if (work == null) return config.fullPass().toNanos();
    Set<String> busyBefore = runners.busyNow();
    Map<String, ContainerSummary> containers = new HashMap<>();
    Set<Integer> held = new HashSet<>();
    List<ContainerSummary> listed = engine.listContainers(true, Map.of());
    for (ContainerSummary c : listed) {
      String guid = c.labels().get(ContainerPlan.INSTANCE_GUID);
      if (guid == null) continue;
      containers.put(guid, c);
      ContainerPlan.ports(c.labels()).forEach(p -> held.add(p.hostPort()));
    }
    long next = now + config.fullPass().toNanos();
    Set<String> names = new HashSet<>();
    for (Assignment a : work) {
      String guid = a.instanceGuid();
      names.add(guid);
      if (busyBefore.contains(guid) || runners.busy(guid)) continue;
      Instance i = instances.get(guid);
      if (i != null) i.assignment = a;
      if (i != null && i.finalDelivered == false && delivered.contains(guid)) i.finalDelivered = true;
      Runnable step = decide(a, containers.get(guid), i, now, held);
      if (step != null) runners.submit(guid, step);
      Instance after = instances.get(guid);
      if (after != null && !after.isFinal() && after.containerId != null) {
        next = Math.min(next, after.nextCheckNanos);
        if (after.sends != null && !after.sends.isEmpty()) next = Math.min(next, after.nextUploadPollNanos);
      }
    }
    for (var e : containers.entrySet()) {
      String guid = e.getKey();
      if (names.contains(guid) || busyBefore.contains(guid) || runners.busy(guid)) continue;
      ContainerSummary c = e.getValue();
      runners.submit(guid, () -> steps.removeUnassigned(guid, c));
    }
    instances.keySet().removeIf(g -> !names.contains(g) && !containers.containsKey(g) && !runners.busy(g));
    if (!swept || now - lastSweep >= config.fullPass().toNanos()) {
      swept = true;
      lastSweep = now;
      steps.dirs.sweep(g -> names.contains(g) || containers.containsKey(g) || busyBefore.contains(g) || runners.busy(g));
    }
    Set<String> ids = new HashSet<>();
    listed.forEach(c -> ids.add(c.id()));
    exits.keepOnly(ids);
    delivered.removeIf(g -> !names.contains(g));
    if (now - lastResend >= config.resend().toNanos()) {
      lastResend = now;
      List<InstanceReport> all = new ArrayList<>();
      for (Assignment a : work) {
        Instance i = instances.get(a.instanceGuid());
        if (i != null && i.report != null) all.add(i.report);
      }
      if (!all.isEmpty()) reporter.report(all);
    }
    return Math.max(0, next - nanos.getAsLong());
  }

  /** The one step for an instance in this pass, or null. */
  private Runnable decide(Assignment a, ContainerSummary c, Instance i, long now, Set<Integer> held) {
    String guid = a.instanceGuid();
    if (i == null) {
      if (c == null) {
        Instance made = new Instance(guid, a);
        instances.put(guid, made);
        return new StepRunners.Create(() -> steps.create(made, held));
      }
      Instance adopted = new Instance(guid, a);
      instances.put(guid, adopted);
      return () -> steps.adopt(adopted, c);
    }
    if (i.restartAsked()) return () -> steps.restart(i, c);
    if (i.isFinal()) {
      // A crashed LRP's container stays until the manager says: start it again, or (unassigned) remove it.
      // (Docker lists a container that died as running until its cleanup is done: that one is not running.)
      boolean running = c != null && c.state().equals("running") && !exits.hasDied(c.id());
      if (c != null && ((i.finalDelivered && i.isTask()) || running)) return () -> steps.discard(i, c);
      return null;
    }
    if (c == null) {
      if (i.containerId == null) return new StepRunners.Create(() -> steps.create(i, held)); // an earlier create gave up cleanly
      return () -> steps.vanished(i);
    }
    Integer code = exits.code(c.id());
    if (code != null && !i.isTask() && i.actionStarted && code >= 0) {
      // the setup is done, so the reason is the action's status: no need to wait for the engine
      return () -> steps.died(i, code);
    }
    if (!c.state().equals("running")) {
      return c.state().equals("created") ? () -> steps.discard(i, c) : () -> steps.exited(i, c);
    }
    if (i.sends == null) i.sends = Uploads.of(i);
    if (!i.sends.isEmpty() && now >= i.nextUploadPollNanos) {
      i.nextUploadPollNanos = now + Uploads.POLL_NANOS; // before a due check: a waiting upload holds its action up
      return () -> steps.upload(i);
    }
    if (now >= i.nextCheckNanos) return () -> steps.check(i, now);
    return null;
  }

  /** Records a state; reports it at once when it changed. */
  void set(Instance i, InstanceReport r) {
    if (r.equals(i.report)) return;
    i.report = r;
    log.info("instance-{} instance={} process={} index={} reason={}", r.state().toLowerCase(Locale.ROOT),
        r.instanceGuid(), r.processGuid(), r.index(), r.reason());
    reporter.report(List.of(r));
  }

  @Override
  public void close() {
    loop.stop();
    if (events != null) {
      try {
        events.close();
      } catch (Exception e) {
        log.debug("executor-events-close-failed", e);
      }
    }
    runners.close();
  }
}

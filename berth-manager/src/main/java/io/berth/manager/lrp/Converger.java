package io.berth.manager.lrp;

import io.berth.cluster.loop.Gate;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.Keys;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.Convergence;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.LrpKey;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import io.berth.manager.metrics.BerthMetrics;
import io.berth.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convergence loop: a {@link ReconcileLoop} that, on every signal (a DesiredLRP or task written, an
 * agent's report, a node's lease coming or going) and at least every {@code interval}, reads a
 * snapshot, computes {@link Convergence#plan} and applies it, then places what is UNCLAIMED and
 * the PENDING tasks. Signals coalesce; a missed one costs at most one interval; a failing pass is
 * retried with back-off up to one interval. Only the leader passes (its gate), and every write of a
 * pass goes through the store fenced on the leader's term.
 *
 * <p>Invariants: a slot is claimed (compare-and-put on its record) before its assignment is
 * written, so two managers never both place one slot; a slot gets a new instance guid each time it
 * is placed, and an agent runs only the instance guids assigned to it, so a stale container is
 * stopped by the agent, never adopted for another slot; a task is assigned once and never again —
 * when its node is lost it fails, it is not run twice.
 */
public final class Converger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Converger.class);
  static final Duration ROUTED_HOLD_MAX = Duration.ofSeconds(30);
  private final Map<InstanceGuid, Long> routedSince = new ConcurrentHashMap<>();
  private final LrpStore store;
  private final LrpService service;
  private final RestartPolicy policy;
  private final Claims claims;
  private final ConvergenceChanges changes;
  private final TaskCallbacks callbacks;
  private final List<Watch> watches = new ArrayList<>();
  private final ReconcileLoop loop;
  private final Supplier<Set<InstanceGuid>> assigned;
  Converger(LrpStore store, LrpService service, Placer placer, Duration interval, RestartPolicy policy,
            Supplier<Set<InstanceGuid>> assigned) {
    this(store, service, placer, interval, policy, assigned, Gate.OPEN);
  }

  /** Passes only while {@code gate} is open: on the leader, whose fenced store {@code store} writes through. */
  Converger(LrpStore store, LrpService service, Placer placer, Duration interval, RestartPolicy policy,
            Supplier<Set<InstanceGuid>> assigned, Gate gate) {
    this.assigned = assigned;
    this.store = store;
    this.service = service;
    this.loop = ReconcileLoop.named("lrp-converger").every(interval).gate(gate)
        .onFailure(e -> log.warn("lrp-convergence-failed: {}", e.toString(), e)).build(this::pass);
    this.policy = policy;
    this.claims = new Claims(store, service, placer);
    this.changes = new ConvergenceChanges(store, service::now);
    this.callbacks = new TaskCallbacks(store);
    service.onChange(this::signal);
  }

  void start() {
    long from = store.raw().revision() + 1;
    watches.add(store.raw().watch(Keys.HEALTH, from, e -> signal()));
    watches.add(store.raw().watch(Keys.DESIRED, from, e -> signal()));
    watches.add(store.raw().watch(Keys.TASKS, from, e -> signal()));
    loop.start();
  }

  void signal() {
    loop.signal();
  }

  /** One whole pass; one at a time, whoever calls it (the loop, a test, a benchmark). */
  synchronized void pass() {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      passOnce(t0);
      ok = true;
    } finally {
      BerthMetrics.converged(ok, System.nanoTime() - t0);
    }
  }

  private void passOnce(long t0) {
    long now = service.now();
    Map<ProcessGuid, DesiredLrp> desired = new HashMap<>();
    for (DesiredLrp d : store.desired()) desired.put(d.processGuid(), d);
    List<Versioned<ActualLrp>> actuals = store.actuals();
    Map<LrpKey, Versioned<ActualLrp>> byKey = new HashMap<>();
    for (Versioned<ActualLrp> a : actuals) byKey.put(a.value().key(), a);
    List<Versioned<Task>> tasks = store.tasks();
    Set<NodeName> live = store.liveCells();
    Set<NodeName> draining = store.draining();
    Map<LrpKey, ActualLrp> evacuees = new HashMap<>();
    for (Versioned<ActualLrp> e : store.evacuees()) evacuees.put(e.value().key(), e.value());
    Convergence.Result plan = Convergence.plan(new Convergence.Snapshot(desired, actuals.stream().map(Versioned::value).toList(),
        store.freshDomains(), live, assigned.get(), draining, evacuees), now, policy, LrpService.newGuid());
    for (Convergence.Change c : plan.changes()) {
      if (c instanceof Convergence.DropEvacuee d && stillRouted(d)) continue;
      Versioned<ActualLrp> v = byKey.get(c.key());
      changes.apply(c, v == null ? 0 : v.revision());
    }
    Set<LrpKey> changed = new HashSet<>(plan.toPlace());
    for (Convergence.Change c : plan.changes()) changed.add(c.key());
    List<ActualLrp> holding = new ArrayList<>();
    for (Versioned<ActualLrp> a : actuals) if (!changed.contains(a.value().key())) holding.add(a.value());
    claims.placeAll(plan.toPlace(), desired, holding, tasks, live, draining);
    for (Versioned<Task> t : tasks) tend(t, live);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (ms > 1000) log.info("lrp-convergence-slow ms={} desired={} actual={} placed={}", ms, desired.size(), actuals.size(), plan.toPlace().size());
  }

  /**
   * An evacuee whose replacement runs stops only once no router sends it traffic (the route
   * publisher has moved the slot to the replacement), or after {@link #ROUTED_HOLD_MAX}.
   */
  private boolean stillRouted(Convergence.DropEvacuee d) {
    InstanceGuid guid = d.evacuee().instanceGuid();
    if (!d.reason().startsWith("replacement") || !service.routed(guid)) {
      routedSince.remove(guid);
      return false;
    }
    long since = routedSince.computeIfAbsent(guid, g -> System.nanoTime());
    if (System.nanoTime() - since < ROUTED_HOLD_MAX.toNanos()) {
      signalLater(Duration.ofMillis(500));
      return true;
    }
    routedSince.remove(guid);
    return false;
  }

  private void signalLater(Duration d) {
    loop.signalIn(d);
  }

  /** A claimed or running task whose node is lost fails; a completed one with a callback is delivered. */
  private void tend(Versioned<Task> v, Set<NodeName> live) {
    Task t = v.value();
    if ((t.state() == TaskState.CLAIMED || t.state() == TaskState.RUNNING) && !live.contains(t.cellId())) {
      if (store.replace(t.completed(true, "cell " + t.cellId() + " was lost: the task is not run again", ""), v.revision()).isPresent()) {
        store.unassign(t.cellId(), t.taskGuid());
        log.info("task-cell-lost task={} node={}", t.taskGuid(), t.cellId());
      }
    } else {
      callbacks.offer(t);
    }
  }

  @Override
  public void close() {
    for (Watch w : watches) w.close();
    loop.stop(); // a pass in progress ends before the store it reads closes
  }
}

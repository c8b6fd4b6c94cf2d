package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.core.Keys;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.Convergence;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.LrpKey;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import io.berth.store.Watch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convergence loop: one virtual thread that, on every signal (a DesiredLRP or task written, an
 * agent's report, a node's lease coming or going) and at least every {@code interval}, reads a
 * snapshot, computes {@link Convergence#plan} and applies it, then places what is UNCLAIMED and
 * the PENDING tasks. Signals coalesce; a missed one costs at most one interval.
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
  private final java.util.concurrent.atomic.AtomicBoolean laterPending = new java.util.concurrent.atomic.AtomicBoolean();
  private final LrpStore store;
  private final LrpService service;
  private final Placer placer;
  private final Duration interval;
  private final RestartPolicy policy;
  private final Object lock = new Object();
  private final Set<TaskGuid> callbacks = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final List<Watch> watches = new ArrayList<>();
  private boolean signalled;
  private volatile boolean running;
  private Thread loop;
  private final Supplier<Set<InstanceGuid>> assigned;
  /**
   * After this manager starts, cells count as live for this long whatever their leases say: a
   * manager that was down longer than the node TTL finds every lease expired, and its nodes need a
   * heartbeat's time to come back — as Nomad gives every node a fresh TTL after a leader election.
   */
  private volatile Duration startupGrace = Duration.ZERO;
  private volatile long graceEnds;
  private final java.util.concurrent.atomic.AtomicBoolean graceWake = new java.util.concurrent.atomic.AtomicBoolean();

  Converger(LrpStore store, LrpService service, Placer placer, Duration interval, RestartPolicy policy,
            Supplier<Set<InstanceGuid>> assigned) {
    this.assigned = assigned;
    this.store = store;
    this.service = service;
    this.placer = placer;
    this.interval = interval;
    this.policy = policy;
    service.onChange(this::signal);
  }

  /** Cells are not lost for {@code grace} after {@link #start()}. */
  void startupGrace(Duration grace) {
    this.startupGrace = grace;
  }

  void start() {
    graceEnds = System.nanoTime() + startupGrace.toNanos();
    running = true;
    long from = store.raw().revision() + 1;
    watches.add(store.raw().watch(Keys.HEALTH, from, e -> signal()));
    watches.add(store.raw().watch(Keys.DESIRED, from, e -> signal()));
    watches.add(store.raw().watch(Keys.TASKS, from, e -> signal()));
    loop = Thread.ofVirtual().name("lrp-converger").start(this::run);
  }

  void signal() {
    synchronized (lock) {
      signalled = true;
      lock.notifyAll();
    }
  }

  private void run() {
    while (running) {
      try {
        synchronized (lock) {
          if (!signalled) lock.wait(interval.toMillis());
          signalled = false;
        }
        if (!running) return;
        pass();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("lrp-convergence-failed: {}", e.toString(), e);
      }
    }
  }

  /** One whole pass; one at a time, whoever calls it (the loop, a test, a benchmark). */
  synchronized void pass() {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      passOnce(t0);
      ok = true;
    } finally {
      io.berth.manager.metrics.BerthMetrics.converged(ok, System.nanoTime() - t0);
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
    if (System.nanoTime() < graceEnds) {
      live = new java.util.HashSet<>(live);
      for (Versioned<ActualLrp> a : actuals) if (!a.value().cellId().isNone()) live.add(a.value().cellId());
      for (Versioned<Task> t : tasks) if (!t.value().cellId().isNone()) live.add(t.value().cellId());
      // A pass once the grace is over notices what is really lost.
      long left = graceEnds - System.nanoTime();
      if (graceWake.compareAndSet(false, true)) Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(Math.max(1, left / 1_000_000));
          signal();
        } catch (InterruptedException e) {
          // closing
        }
      });
    }
    Set<NodeName> draining = store.draining();
    Map<LrpKey, ActualLrp> evacuees = new HashMap<>();
    for (Versioned<ActualLrp> e : store.evacuees()) evacuees.put(e.value().key(), e.value());
    Convergence.Result plan = Convergence.plan(new Convergence.Snapshot(desired, actuals.stream().map(Versioned::value).toList(),
        store.freshDomains(), live, assigned.get(), draining, evacuees), now, policy, LrpService.newGuid());
    for (Convergence.Change c : plan.changes()) {
      if (c instanceof Convergence.DropEvacuee d && stillRouted(d)) continue;
      Versioned<ActualLrp> v = byKey.get(c.key());
      service.apply(c, v == null ? 0 : v.revision());
    }
    Set<LrpKey> changed = new java.util.HashSet<>(plan.toPlace());
    for (Convergence.Change c : plan.changes()) changed.add(c.key());
    List<ActualLrp> holding = new ArrayList<>();
    for (Versioned<ActualLrp> a : actuals) if (!changed.contains(a.value().key())) holding.add(a.value());
    placeAll(plan.toPlace(), desired, holding, tasks, live, draining);
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
    if (!laterPending.compareAndSet(false, true)) return;
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      laterPending.set(false);
      signal();
    });
  }

  /** Places the UNCLAIMED slots among {@code keys} and the PENDING tasks; {@code holding}: instances that keep their node. */
  private void placeAll(List<LrpKey> keys, Map<ProcessGuid, DesiredLrp> desired, List<ActualLrp> holding, List<Versioned<Task>> tasks,
                        Set<NodeName> live, Set<NodeName> draining) {
    List<Versioned<ActualLrp>> unclaimed = new ArrayList<>();
    for (LrpKey k : keys) {
      store.actual(k.processGuid(), k.index()).filter(a -> a.value().state() == ActualState.UNCLAIMED).ifPresent(unclaimed::add);
    }
    List<Versioned<Task>> pending = tasks.stream().filter(t -> t.value().state() == TaskState.PENDING).toList();
    if (unclaimed.isEmpty() && pending.isEmpty()) return;
    List<Placer.Held> held = new ArrayList<>();
    for (ActualLrp a : holding) {
      DesiredLrp d = desired.get(a.processGuid());
      if ((a.state() == ActualState.CLAIMED || a.state() == ActualState.RUNNING) && d != null) {
        held.add(new Placer.Held(a.cellId(), a.instanceGuid().value(), d.image(), (long) d.memoryMb() << 20));
      }
    }
    for (Versioned<Task> v : tasks) {
      Task t = v.value();
      if (t.state() == TaskState.CLAIMED || t.state() == TaskState.RUNNING) {
        held.add(new Placer.Held(t.cellId(), t.taskGuid().value(), t.image(), (long) t.memoryMb() << 20));
      }
    }
    List<Placer.Want> wants = new ArrayList<>();
    for (Versioned<ActualLrp> v : unclaimed) {
      DesiredLrp d = desired.get(v.value().processGuid());
      if (d != null) wants.add(new Placer.Want("lrp:" + v.value().key(), d.image(), (long) d.memoryMb() << 20));
    }
    for (Versioned<Task> v : pending) wants.add(new Placer.Want("task:" + v.value().taskGuid(), v.value().image(), (long) v.value().memoryMb() << 20));
    Placer.Outcome out = placer.place(wants, held, draining);
    long now = service.now();
    for (Versioned<ActualLrp> v : unclaimed) {
      ActualLrp a = v.value();
      DesiredLrp d = desired.get(a.processGuid());
      if (d == null) continue;
      String id = "lrp:" + a.key();
      NodeName node = out.placed().get(id);
      if (node != null) {
        ActualLrp claimed = a.claim(node, LrpService.newInstanceGuid(), now);
        if (store.replace(claimed, v.revision()).isPresent()) {
          store.assign(node, assignment(d, claimed));
          log.info("lrp-instance-claimed process={} index={} node={} instance={}", a.processGuid(), a.index(), node, claimed.instanceGuid());
        }
      } else {
        String why = out.unplaced().getOrDefault(id, "no node is ready");
        if (!why.equals(a.placementError())) {
          store.replace(a.unplaceable(why, now), v.revision());
          log.info("lrp-instance-unplaceable process={} index={} reason={}", a.processGuid(), a.index(), why);
        }
      }
    }
    for (Versioned<Task> v : pending) {
      Task t = v.value();
      String id = "task:" + t.taskGuid();
      NodeName node = out.placed().get(id);
      if (node != null) {
        if (store.replace(t.in(TaskState.CLAIMED, node), v.revision()).isPresent()) {
          store.assign(node, assignment(t));
          log.info("task-claimed task={} node={}", t.taskGuid(), node);
        }
      } else {
        // As Diego's auctioneer: a task that no cell can take fails rather than waits.
        String why = out.unplaced().getOrDefault(id, live.isEmpty() ? "no node is ready" : "no node fits");
        store.replace(t.completed(true, "cannot be placed: " + why, ""), v.revision());
        log.info("task-unplaceable task={} reason={}", t.taskGuid(), why);
      }
    }
  }

  /** A claimed or running task whose node is lost fails; a completed one with a callback is delivered. */
  private void tend(Versioned<Task> v, Set<NodeName> live) {
    Task t = v.value();
    if ((t.state() == TaskState.CLAIMED || t.state() == TaskState.RUNNING) && !live.contains(t.cellId())) {
      if (store.replace(t.completed(true, "cell " + t.cellId() + " was lost: the task is not run again", ""), v.revision()).isPresent()) {
        store.unassign(t.cellId(), t.taskGuid());
        log.info("task-cell-lost task={} node={}", t.taskGuid(), t.cellId());
      }
    } else if (t.state() == TaskState.COMPLETED && t.completionCallbackUrl() != null && !t.completionCallbackUrl().isEmpty()
        && callbacks.add(t.taskGuid())) {
      Thread.ofVirtual().name("task-callback").start(() -> deliver(t));
    }
  }

  /** POSTs the completed task to its callback URL; on a 2xx it is resolved and deleted, as in Diego. */
  private void deliver(Task t) {
    try {
      HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(t.completionCallbackUrl())).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(t))).build(),
          HttpResponse.BodyHandlers.discarding());
      if (res.statusCode() / 100 == 2) {
        Optional<Versioned<Task>> now = store.task(t.taskGuid());
        if (now.isPresent() && now.get().value().state() == TaskState.COMPLETED) {
          store.replace(now.get().value().in(TaskState.RESOLVING, t.cellId()), now.get().revision())
              .ifPresent(r -> store.delete(r.value(), r.revision()));
        }
        log.info("task-callback-delivered task={} status={}", t.taskGuid(), res.statusCode());
      } else {
        log.warn("task-callback-refused task={} status={} (retried next pass)", t.taskGuid(), res.statusCode());
      }
    } catch (Exception e) {
      log.warn("task-callback-failed task={}: {} (retried next pass)", t.taskGuid(), e.toString());
    } finally {
      callbacks.remove(t.taskGuid());
    }
  }

  static Assignment assignment(DesiredLrp d, ActualLrp a) {
    return new Assignment(Assignment.LRP, a.instanceGuid().value(), a.processGuid().value(), a.index(), raw(d.domain()), d.image(), d.env(), d.cpuWeight(),
        d.diskMb(), d.memoryMb(), d.privileged(), d.setup(), d.action(), d.monitor(), d.healthCheck(), d.startTimeout(), d.ports(),
        d.logGuid(), d.logSource(), null);
  }

  static Assignment assignment(Task t) {
    return new Assignment(Assignment.TASK, t.taskGuid().value(), t.taskGuid().value(), 0, raw(t.domain()), t.image(), t.env(), t.cpuWeight(), t.diskMb(),
        t.memoryMb(), t.privileged(), null, t.action(), null, null, 0, List.of(), t.logGuid(), t.logSource(), t.resultFile());
  }

  /** The id as the wire carries it (a record read from an old store may lack it). */
  private static String raw(Object id) {
    return id == null ? null : id.toString();
  }

  @Override
  public void close() {
    running = false;
    for (Watch w : watches) w.close();
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(5000); // a pass in progress ends before the store it reads closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

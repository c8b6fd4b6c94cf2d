package io.berth.manager.lrp;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.ModificationTag;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Receptor API and the agents' reports do to LRPs and tasks. Each operation reads,
 * decides and writes with compare-and-put, re-reading on a conflict, then signals the convergence
 * loop, which does everything that involves placing work.
 */
public final class LrpService {
  private static final Logger log = LoggerFactory.getLogger(LrpService.class);
  static final int ATTEMPTS = 8;
  private final LrpStore store;
  private final Clock clock;
  private final RestartPolicy policy;
  private final Function<NodeName, String> addressOf;
  private volatile Runnable signal = () -> {};
  private volatile Predicate<String> routed = g -> false;
  private final AgentReports reports;

  LrpService(LrpStore store, Clock clock, RestartPolicy policy, Function<NodeName, String> addressOf) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
    this.addressOf = addressOf;
    this.reports = new AgentReports(store, policy, addressOf, this::now, this::routed);
  }

  /** Which instance guids routers still send traffic to: such an evacuee is not stopped yet (none unless apps say so). */
  void routedBy(Predicate<String> p) {
    this.routed = p;
  }

  boolean routed(InstanceGuid instance) {
    return routed.test(instance.value());
  }

  void onChange(Runnable signal) {
    this.signal = signal;
  }

  long now() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static String newGuid() {
    return UUID.randomUUID().toString();
  }

  static InstanceGuid newInstanceGuid() {
    return new InstanceGuid(newGuid());
  }

  // DesiredLRPs

  public DesiredLrp desire(DesiredLrp d) {
    DesiredLrp tagged = d.tagged(new ModificationTag(newGuid(), 0));
    if (!store.create(tagged)) {
      throw new BerthException.Conflict("DesiredLRPAlreadyExists", "a DesiredLRP with process_guid " + d.processGuid()
          + " already exists: PUT /v1/desired_lrps/" + d.processGuid() + " changes instances, routes and annotation");
    }
    log.info("lrp-desired process={} instances={} image={}", d.processGuid(), d.instances(), d.image());
    signal.run();
    return tagged;
  }

  public DesiredLrp update(ProcessGuid guid, DesiredLrpUpdate u) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Versioned<DesiredLrp> v = desiredOrThrow(guid);
      DesiredLrp next = v.value().with(u);
      if (store.replace(next, v.revision())) {
        log.info("lrp-updated process={} instances={}", guid, next.instances());
        // An explicit scale-down stops the extras at once, fresh domain or not (Diego does the same).
        for (Versioned<ActualLrp> a : store.actuals(guid)) {
          if (a.value().index() >= next.instances()) store.retire(a);
        }
        signal.run();
        return next;
      }
    }
    throw new BerthException.Conflict("ResourceConflict", "DesiredLRP " + guid + " kept changing: try again");
  }

  public void remove(ProcessGuid guid) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Versioned<DesiredLrp> v = desiredOrThrow(guid);
      if (store.delete(v)) {
        for (Versioned<ActualLrp> a : store.actuals(guid)) store.retire(a);
        log.info("lrp-removed process={}", guid);
        signal.run();
        return;
      }
    }
    throw new BerthException.Conflict("ResourceConflict", "DesiredLRP " + guid + " kept changing: try again");
  }

  public List<DesiredLrp> desired(Optional<Domain> domain) {
    return store.desired().stream().filter(d -> domain.isEmpty() || d.domain().equals(domain.get())).toList();
  }

  public DesiredLrp desired(ProcessGuid guid) {
    return desiredOrThrow(guid).value();
  }

  private Versioned<DesiredLrp> desiredOrThrow(ProcessGuid guid) {
    return store.desired(guid).orElseThrow(() -> new BerthException.NotFound("DesiredLRPNotFound", "no DesiredLRP with process_guid " + guid));
  }

  // ActualLRPs

  public List<ActualLrp> actuals(Optional<Domain> domain) {
    return store.actuals().stream().map(Versioned::value).filter(a -> domain.isEmpty() || a.domain().equals(domain.get())).toList();
  }

  public List<ActualLrp> actuals(ProcessGuid guid) {
    return store.actuals(guid).stream().map(Versioned::value).toList();
  }

  /** The instances kept running on draining nodes until their replacements run. */
  public List<ActualLrp> evacuees() {
    return store.evacuees().stream().map(Versioned::value).toList();
  }

  public ActualLrp actual(ProcessGuid guid, int index) {
    return actualOrThrow(guid, index).value();
  }

  private Versioned<ActualLrp> actualOrThrow(ProcessGuid guid, int index) {
    return store.actual(guid, index).orElseThrow(() -> new BerthException.NotFound("ActualLRPIndexNotFound",
        "no ActualLRP with process_guid " + guid + " at index " + index));
  }

  /** Stops one instance; the desired state is unchanged, so convergence starts it again. */
  public void kill(ProcessGuid guid, int index) {
    store.retire(actualOrThrow(guid, index));
    log.info("lrp-instance-killed process={} index={}", guid, index);
    signal.run();
  }

  // Draining

  /**
   * Drains a node: nothing new is placed there, and each instance running on it is replaced
   * elsewhere, the old one stopping only once its replacement runs. {@code on=false} ends it.
   */
  public void drain(String node, boolean on) {
    store.drain(known(node), on);
    log.info(on ? "node-draining node={}" : "node-drain-ended node={}", node);
    signal.run();
  }

  /** Whether the node is draining; a node nobody knows is a 404. */
  public boolean draining(String node) {
    return store.draining().contains(known(node));
  }

  /** The node of that name, or a 404 when no node has it (or it is no node name at all). */
  private NodeName known(String node) {
    return NodeName.lookup(node).filter(n -> !addressOf.apply(n).isEmpty())
        .orElseThrow(() -> new BerthException.NotFound("NodeNotFound", "no such node: " + node));
  }

  // Tasks

  public Task createTask(Task t) {
    Task pending = t.pending(now());
    if (!store.create(pending)) {
      throw new BerthException.Conflict("TaskGuidAlreadyExists", "a task with task_guid " + t.taskGuid() + " already exists");
    }
    log.info("task-created task={} image={}", t.taskGuid(), t.image());
    signal.run();
    return pending;
  }

  public List<Task> tasks(Optional<Domain> domain) {
    return store.tasks().stream().map(Versioned::value).filter(t -> domain.isEmpty() || t.domain().equals(domain.get())).toList();
  }

  public Task task(TaskGuid guid) {
    return taskOrThrow(guid).value();
  }

  private Versioned<Task> taskOrThrow(TaskGuid guid) {
    return store.task(guid).orElseThrow(() -> new BerthException.NotFound("TaskNotFound", "no task with task_guid " + guid));
  }

  /** {@code DELETE /v1/tasks/:guid}: a COMPLETED task is resolved and deleted. */
  public void resolve(TaskGuid guid) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Versioned<Task> v = taskOrThrow(guid);
      if (v.value().state() != TaskState.COMPLETED) {
        throw new BerthException.Conflict("ResourceConflict", "task " + guid + " is " + v.value().state()
            + ": only a COMPLETED task can be resolved (cancel it first)");
      }
      Optional<Versioned<Task>> resolving = store.replace(v.value().in(TaskState.RESOLVING, v.value().cellId()), v.revision());
      if (resolving.isPresent()) {
        store.delete(resolving.get().value(), resolving.get().revision());
        return;
      }
    }
    throw new BerthException.Conflict("ResourceConflict", "task " + guid + " kept changing: try again");
  }

  /** Cancels a task that has not completed: it is COMPLETED, failed, and its container stopped. */
  public void cancel(TaskGuid guid) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Versioned<Task> v = taskOrThrow(guid);
      Task t = v.value();
      if (t.state() == TaskState.COMPLETED || t.state() == TaskState.RESOLVING) {
        throw new BerthException.Conflict("ResourceConflict", "task " + guid + " is already " + t.state());
      }
      if (store.replace(t.completed(true, "task was cancelled", ""), v.revision()).isPresent()) {
        store.unassign(t.cellId(), t.taskGuid());
        log.info("task-cancelled task={}", guid);
        signal.run();
        return;
      }
    }
    throw new BerthException.Conflict("ResourceConflict", "task " + guid + " kept changing: try again");
  }

  // Domains

  public void fresh(String domain, Duration ttl) {
    if (domain.isEmpty() || !domain.matches("[A-Za-z0-9_.-]+")) throw new BerthException.Invalid("domain: must be letters, digits, '_', '-' or '.': " + domain);
    store.fresh(new Domain(domain), ttl);
    signal.run();
  }

  public Set<Domain> domains() {
    return store.freshDomains();
  }

  // Reports from agents

  /** What {@code node}'s agent saw of its work; stale reports (another instance now holds the slot) stop that instance. */
  public void report(NodeName node, List<InstanceReport> seen) {
    boolean converge = false; // whether a report gave the convergence loop work (not: an instance runs now)
    for (InstanceReport r : seen) {
      converge |= Assignment.TASK.equals(r.kind()) ? reports.task(node, r) : reports.lrp(node, r);
    }
    if (converge) signal.run();
  }
}

package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.core.Keys;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.Task;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * DesiredLRPs, ActualLRPs, tasks, domains and assignments in the store, as JSON under the keys of
 * {@link Keys}. Every change of an existing record is a compare-and-put on the revision it was read
 * at, so two writers (two managers, or the API and the convergence loop) never lose each other's
 * change: the loser reads again.
 */
final class LrpStore {
  static final int MAX = 1_000_000;
  private final StateStore store;

  LrpStore(StateStore store) {
    this.store = store;
  }

  StateStore raw() {
    return store;
  }

  // DesiredLRPs

  Optional<Versioned<DesiredLrp>> desired(ProcessGuid guid) {
    return store.get(Keys.desired(guid.value())).map(kv -> new Versioned<>(Json.read(kv.value(), DesiredLrp.class), kv.modRevision()));
  }

  List<DesiredLrp> desired() {
    return read(Keys.DESIRED, DesiredLrp.class).stream().map(Versioned::value).toList();
  }

  boolean create(DesiredLrp d) {
    return store.create(Keys.desired(d.processGuid().value()), Json.bytes(d), StateStore.Lease.NONE);
  }

  boolean replace(DesiredLrp d, long revision) {
    return store.compareAndPut(Keys.desired(d.processGuid().value()), Json.bytes(d), revision, StateStore.Lease.NONE).isPresent();
  }

  boolean delete(Versioned<DesiredLrp> d) {
    return store.compareAndDelete(Keys.desired(d.value().processGuid().value()), d.revision());
  }

  // ActualLRPs

  List<Versioned<ActualLrp>> actuals() {
    return read(Keys.ACTUAL, ActualLrp.class);
  }

  List<Versioned<ActualLrp>> actuals(ProcessGuid guid) {
    return read(Keys.ACTUAL + guid.value() + "/", ActualLrp.class);
  }

  Optional<Versioned<ActualLrp>> actual(ProcessGuid guid, int index) {
    return store.get(Keys.actual(guid.value(), index)).map(kv -> new Versioned<>(Json.read(kv.value(), ActualLrp.class), kv.modRevision()));
  }

  boolean create(ActualLrp a) {
    return store.create(Keys.actual(a.processGuid().value(), a.index()), Json.bytes(a), StateStore.Lease.NONE);
  }

  /** Replaces the record read at {@code revision}; empty when someone changed it since. */
  Optional<Versioned<ActualLrp>> replace(ActualLrp a, long revision) {
    return store.compareAndPut(Keys.actual(a.processGuid().value(), a.index()), Json.bytes(a), revision, StateStore.Lease.NONE)
        .map(rev -> new Versioned<>(a, rev));
  }

  boolean delete(ActualLrp a, long revision) {
    return store.compareAndDelete(Keys.actual(a.processGuid().value(), a.index()), revision);
  }

  /** Stops an instance's container (its node sees the assignment go) and deletes its record and any evacuee of its slot. */
  void retire(Versioned<ActualLrp> a) {
    unassign(a.value().cellId(), a.value().instanceGuid());
    delete(a.value(), a.revision());
    evacuee(a.value().processGuid(), a.value().index()).ifPresent(e -> dropEvacuee(e.value()));
  }

  // Evacuees: instances kept on a draining node until their replacement runs

  List<Versioned<ActualLrp>> evacuees() {
    return read(Keys.EVACUATING, ActualLrp.class);
  }

  Optional<Versioned<ActualLrp>> evacuee(ProcessGuid guid, int index) {
    return store.get(Keys.evacuating(guid.value(), index)).map(kv -> new Versioned<>(Json.read(kv.value(), ActualLrp.class), kv.modRevision()));
  }

  boolean createEvacuee(ActualLrp a) {
    return store.create(Keys.evacuating(a.processGuid().value(), a.index()), Json.bytes(a), StateStore.Lease.NONE);
  }

  /** Stops an evacuee: its node sees the assignment go; its record is deleted. */
  void dropEvacuee(ActualLrp a) {
    unassign(a.cellId(), a.instanceGuid());
    forgetEvacuee(a);
  }

  /** Deletes the evacuee record only: its instance becomes the slot's own again (or is already stopped). */
  void forgetEvacuee(ActualLrp a) {
    store.delete(Keys.evacuating(a.processGuid().value(), a.index()));
  }

  // Draining nodes

  void drain(NodeName node, boolean on) {
    if (on) store.put(Keys.DRAIN + node.value(), new byte[0]);
    else store.delete(Keys.DRAIN + node.value());
  }

  Set<NodeName> draining() {
    return tails(Keys.DRAIN, NodeName::of);
  }

  // Tasks

  List<Versioned<Task>> tasks() {
    return read(Keys.TASKS, Task.class);
  }

  Optional<Versioned<Task>> task(TaskGuid guid) {
    return store.get(Keys.task(guid.value())).map(kv -> new Versioned<>(Json.read(kv.value(), Task.class), kv.modRevision()));
  }

  boolean create(Task t) {
    return store.create(Keys.task(t.taskGuid().value()), Json.bytes(t), StateStore.Lease.NONE);
  }

  Optional<Versioned<Task>> replace(Task t, long revision) {
    return store.compareAndPut(Keys.task(t.taskGuid().value()), Json.bytes(t), revision, StateStore.Lease.NONE).map(rev -> new Versioned<>(t, rev));
  }

  boolean delete(Task t, long revision) {
    return store.compareAndDelete(Keys.task(t.taskGuid().value()), revision);
  }

  // Domains

  /** Marks {@code domain} fresh for {@code ttl}, or for ever when {@code ttl} is null. */
  void fresh(Domain domain, Duration ttl) {
    long lease = ttl == null ? StateStore.Lease.NONE : store.grantLease(ttl);
    store.put(Keys.domain(domain.value()), new byte[0], lease);
  }

  Set<Domain> freshDomains() {
    return tails(Keys.DOMAINS, Domain::new);
  }

  // Cells and assignments

  /** Nodes whose lease is alive now. */
  Set<NodeName> liveCells() {
    return tails(Keys.HEALTH, NodeName::of);
  }

  /** The key tails under {@code prefix}, each as an id. */
  private <T> Set<T> tails(String prefix, Function<String, T> id) {
    Set<T> out = new HashSet<>();
    for (KeyValue kv : store.range(prefix, MAX).items()) out.add(id.apply(Keys.tail(kv.key(), prefix)));
    return out;
  }

  /** A slot's or task's record, claimed, to replace the one read at {@code revision}; and its node's assignment. */
  record Claim(String key, Object record, long revision, NodeName node, Assignment assignment) {
    static Claim of(ActualLrp claimed, long revision, Assignment a) {
      return new Claim(Keys.actual(claimed.processGuid().value(), claimed.index()), claimed, revision, claimed.cellId(), a);
    }

    static Claim of(Task claimed, long revision, Assignment a) {
      return new Claim(Keys.task(claimed.taskGuid().value()), claimed, revision, claimed.cellId(), a);
    }
  }

  /** The most claims one store write carries: a huge pass must not hold the store's writer for long. */
  static final int CLAIMS_PER_WRITE = 64;

  /**
   * Writes the claims, each a compare-and-put on its record with its assignment beside it, as few store
   * writes as {@link #CLAIMS_PER_WRITE} allows (one transaction each on SQLite, so a node's agent is
   * answered once for them); per claim, whether it held (false: someone changed the record since).
   */
  List<Boolean> claim(List<Claim> claims) {
    List<Boolean> out = new ArrayList<>(claims.size());
    for (int from = 0; from < claims.size(); from += CLAIMS_PER_WRITE) {
      List<StateStore.ConditionalPuts> entries = new ArrayList<>();
      for (Claim c : claims.subList(from, Math.min(claims.size(), from + CLAIMS_PER_WRITE))) {
        Map<String, byte[]> puts = new LinkedHashMap<>();
        puts.put(c.key(), Json.bytes(c.record()));
        puts.put(Keys.assignment(c.node().value(), c.assignment().instanceGuid()), Json.bytes(c.assignment()));
        entries.add(new StateStore.ConditionalPuts(c.key(), c.revision(), puts));
      }
      for (Optional<Long> written : store.compareAndPutEach(entries)) out.add(written.isPresent());
    }
    return out;
  }

  void assign(NodeName node, Assignment a) {
    store.put(Keys.assignment(node.value(), a.instanceGuid()), Json.bytes(a));
  }

  void unassign(NodeName node, InstanceGuid instance) {
    unassign(node, instance == null ? null : instance.value());
  }

  /** A task's assignment is keyed by its task guid. */
  void unassign(NodeName node, TaskGuid task) {
    unassign(node, task == null ? null : task.value());
  }

  /** Deletes an assignment by its key's last part (an instance or task guid, as the agent reports it). */
  void unassign(NodeName node, String assignmentId) {
    if (node != null && !node.isNone() && assignmentId != null && !assignmentId.isEmpty()) {
      store.delete(Keys.assignment(node.value(), assignmentId));
    }
  }

  /** A node's assignment, by its key's last part. */
  Optional<Assignment> assignment(NodeName node, String assignmentId) {
    return store.get(Keys.assignment(node.value(), assignmentId)).map(kv -> Json.read(kv.value(), Assignment.class));
  }

  boolean assigned(NodeName node, String assignmentId) {
    return store.get(Keys.assignment(node.value(), assignmentId)).isPresent();
  }

  /** One node's assignments and the revision they were read at. */
  Page assignments(NodeName node) {
    return store.range(Keys.ASSIGN + node.value() + "/", MAX);
  }

  /**
   * Decoded records of each whole-prefix read, by key, with the revision decoded at: each
   * convergence pass reads every record, and decodes only those that changed since the last pass.
   * Each read replaces its prefix's map, so deleted keys do not linger.
   */
  private final Map<String, Map<String, Versioned<?>>> decoded = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  private <T> List<Versioned<T>> read(String prefix, Class<T> type) {
    List<KeyValue> items = store.range(prefix, MAX).items();
    boolean whole = prefix.equals(Keys.ACTUAL) || prefix.equals(Keys.DESIRED) || prefix.equals(Keys.TASKS) || prefix.equals(Keys.EVACUATING);
    Map<String, Versioned<?>> before = whole ? decoded.getOrDefault(prefix, Map.of()) : Map.of();
    Map<String, Versioned<?>> now = whole ? new HashMap<>(items.size() * 2) : null;
    List<Versioned<T>> out = new ArrayList<>(items.size());
    for (KeyValue kv : items) {
      Versioned<?> known = before.get(kv.key());
      Versioned<T> v = known != null && known.revision() == kv.modRevision()
          ? (Versioned<T>) known : new Versioned<>(Json.read(kv.value(), type), kv.modRevision());
      if (whole) now.put(kv.key(), v);
      out.add(v);
    }
    if (whole) decoded.put(prefix, now);
    return out;
  }
}

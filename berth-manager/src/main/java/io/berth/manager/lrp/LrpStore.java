package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.core.Keys;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  Optional<Versioned<DesiredLrp>> desired(String guid) {
    return store.get(Keys.desired(guid)).map(kv -> new Versioned<>(Json.read(kv.value(), DesiredLrp.class), kv.modRevision()));
  }

  List<DesiredLrp> desired() {
    return read(Keys.DESIRED, DesiredLrp.class).stream().map(Versioned::value).toList();
  }

  boolean create(DesiredLrp d) {
    return store.create(Keys.desired(d.processGuid()), Json.bytes(d), StateStore.Lease.NONE);
  }

  boolean replace(DesiredLrp d, long revision) {
    return store.compareAndPut(Keys.desired(d.processGuid()), Json.bytes(d), revision, StateStore.Lease.NONE).isPresent();
  }

  boolean delete(Versioned<DesiredLrp> d) {
    return store.compareAndDelete(Keys.desired(d.value().processGuid()), d.revision());
  }

  // ActualLRPs

  List<Versioned<ActualLrp>> actuals() {
    return read(Keys.ACTUAL, ActualLrp.class);
  }

  List<Versioned<ActualLrp>> actuals(String guid) {
    return read(Keys.ACTUAL + guid + "/", ActualLrp.class);
  }

  Optional<Versioned<ActualLrp>> actual(String guid, int index) {
    return store.get(Keys.actual(guid, index)).map(kv -> new Versioned<>(Json.read(kv.value(), ActualLrp.class), kv.modRevision()));
  }

  boolean create(ActualLrp a) {
    return store.create(Keys.actual(a.processGuid(), a.index()), Json.bytes(a), StateStore.Lease.NONE);
  }

  /** Replaces the record read at {@code revision}; empty when someone changed it since. */
  Optional<Versioned<ActualLrp>> replace(ActualLrp a, long revision) {
    return store.compareAndPut(Keys.actual(a.processGuid(), a.index()), Json.bytes(a), revision, StateStore.Lease.NONE)
        .map(rev -> new Versioned<>(a, rev));
  }

  boolean delete(ActualLrp a, long revision) {
    return store.compareAndDelete(Keys.actual(a.processGuid(), a.index()), revision);
  }

  // Evacuees: instances kept on a draining node until their replacement runs

  List<Versioned<ActualLrp>> evacuees() {
    return read(Keys.EVACUATING, ActualLrp.class);
  }

  Optional<Versioned<ActualLrp>> evacuee(String guid, int index) {
    return store.get(Keys.evacuating(guid, index)).map(kv -> new Versioned<>(Json.read(kv.value(), ActualLrp.class), kv.modRevision()));
  }

  boolean createEvacuee(ActualLrp a) {
    return store.create(Keys.evacuating(a.processGuid(), a.index()), Json.bytes(a), StateStore.Lease.NONE);
  }

  /** Stops an evacuee: its node sees the assignment go; its record is deleted. */
  void dropEvacuee(ActualLrp a) {
    unassign(a.cellId(), a.instanceGuid());
    forgetEvacuee(a);
  }

  /** Deletes the evacuee record only: its instance becomes the slot's own again (or is already stopped). */
  void forgetEvacuee(ActualLrp a) {
    store.delete(Keys.evacuating(a.processGuid(), a.index()));
  }

  // Draining nodes

  void drain(String node, boolean on) {
    if (on) store.put(Keys.DRAIN + node, new byte[0]);
    else store.delete(Keys.DRAIN + node);
  }

  Set<String> draining() {
    Set<String> out = new HashSet<>();
    for (KeyValue kv : store.range(Keys.DRAIN, MAX).items()) out.add(Keys.tail(kv.key(), Keys.DRAIN));
    return out;
  }

  // Tasks

  List<Versioned<Task>> tasks() {
    return read(Keys.TASKS, Task.class);
  }

  Optional<Versioned<Task>> task(String guid) {
    return store.get(Keys.task(guid)).map(kv -> new Versioned<>(Json.read(kv.value(), Task.class), kv.modRevision()));
  }

  boolean create(Task t) {
    return store.create(Keys.task(t.taskGuid()), Json.bytes(t), StateStore.Lease.NONE);
  }

  Optional<Versioned<Task>> replace(Task t, long revision) {
    return store.compareAndPut(Keys.task(t.taskGuid()), Json.bytes(t), revision, StateStore.Lease.NONE).map(rev -> new Versioned<>(t, rev));
  }

  boolean delete(Task t, long revision) {
    return store.compareAndDelete(Keys.task(t.taskGuid()), revision);
  }

  // Domains

  /** Marks {@code domain} fresh for {@code ttl}, or for ever when {@code ttl} is null. */
  void fresh(String domain, Duration ttl) {
    long lease = ttl == null ? StateStore.Lease.NONE : store.grantLease(ttl);
    store.put(Keys.domain(domain), new byte[0], lease);
  }

  Set<String> freshDomains() {
    Set<String> out = new HashSet<>();
    for (KeyValue kv : store.range(Keys.DOMAINS, MAX).items()) out.add(Keys.tail(kv.key(), Keys.DOMAINS));
    return out;
  }

  // Cells and assignments

  /** Nodes whose lease is alive now. */
  Set<String> liveCells() {
    Set<String> out = new HashSet<>();
    for (KeyValue kv : store.range(Keys.HEALTH, MAX).items()) out.add(Keys.tail(kv.key(), Keys.HEALTH));
    return out;
  }

  void assign(String node, Assignment a) {
    store.put(Keys.assignment(node, a.instanceGuid()), Json.bytes(a));
  }

  void unassign(String node, String instanceGuid) {
    if (node != null && !node.isEmpty() && instanceGuid != null && !instanceGuid.isEmpty()) {
      store.delete(Keys.assignment(node, instanceGuid));
    }
  }

  boolean assigned(String node, String instanceGuid) {
    return store.get(Keys.assignment(node, instanceGuid)).isPresent();
  }

  /** One node's assignments and the revision they were read at. */
  Page assignments(String node) {
    return store.range(Keys.ASSIGN + node + "/", MAX);
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

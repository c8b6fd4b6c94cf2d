package io.berth.manager.node;

import io.berth.cluster.Json;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.Heartbeat;
import io.berth.cluster.wire.Registration;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.core.node.NodeState;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's node registry. A node's durable record lives at {@code /berth/nodes/{name}}; its liveness is a
 * key at {@code /berth/health/{name}} on a store lease of {@code ttl} that every heartbeat renews. The lease is
 * the single source of truth: when it expires the store deletes the health key, and this registry marks the
 * record {@code down} with an event.
 *
 * <p>Invariant: a record says {@code ready} only while its health key exists. A
 * {@link ReconcileLoop} reconciles the two: all of them at start and at least every {@value #RECONCILE_SECONDS} s,
 * and the nodes whose health key changed (a watch) at once, so a missed event only delays, never
 * loses, a state change. The health key holds the lease id, so any manager sharing the store can renew it.
 *
 * <p>Every manager serves register and heartbeat; only the leader judges (the loop's gate, its writes fenced on
 * the term). A new leader first gives every ready node a fresh lease ({@link #refreshLeases}), so no node is
 * marked down because the manager it heartbeated through died, or because this manager was down longer than the TTL.
 *
 * <p>Reads ({@link #list}, {@link #find}) answer from memory ({@link NodeRecords}): the records loaded at
 * start and kept by a watch on {@code /berth/nodes/}, into which this manager's own writes go at once.
 */
public final class NodeRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
  static final int RECONCILE_SECONDS = 5;
  private static final int MAX_NODES = 100_000;

  private final StateStore store;
  private final Activity activity;
  private final Clock clock;
  private final Duration ttl;
  private final Duration heartbeat;
  private final HealthLeases leases;
  private final ReconcileLoop loop;
  private volatile Watch watch;
  private final NodeRecords view = new NodeRecords();
  private volatile boolean viewed;
  private volatile Watch nodeWatch;
  private volatile Singletons judge;
  /** Nodes whose health key changed since the loop last judged them; a pass judges these only, between whole ones. */
  private final Set<NodeName> changed = ConcurrentHashMap.newKeySet();
  /** Set when a whole pass is due before any pass of changes alone: at start, on {@link #signal}, after a failed pass. */
  private volatile boolean wholeWanted = true;
  private volatile Instant lastWhole = Instant.MIN; // written by the loop's thread only

  public NodeRegistry(StateStore store, Activity activity, Clock clock, Duration ttl, Duration heartbeat) {
    this.store = store;
    this.activity = activity;
    this.clock = clock;
    this.ttl = ttl;
    this.heartbeat = heartbeat;
    this.leases = new HealthLeases(store, ttl);
    this.judge = Singletons.always(store);
    this.loop = ReconcileLoop.named("node-registry").every(Duration.ofSeconds(RECONCILE_SECONDS)).gate(() -> judge.gate().open())
        .onFailure(e -> log.warn("node-reconcile-failed: {}", e.getMessage())).build(this::pass);
  }

  /** Judges (marks nodes down and ready) only as {@code leader} says: while its gate is open, through its store. */
  public NodeRegistry judgeAs(Singletons leader) {
    this.judge = leader;
    return this;
  }

  /** Starts watching health keys and reconciling records with them. */
  public void start() {
    var page = store.range(Keys.NODES, MAX_NODES);
    for (KeyValue kv : page.items()) remember(Json.read(kv.value(), Node.class), kv.modRevision());
    nodeWatch = store.watch(Keys.NODES, page.revision() + 1, this::onNodeChange);
    viewed = true;
    if (judge.gate().open()) reconcile();
    watch = store.watch(Keys.HEALTH, store.revision() + 1, this::onHealthChange);
    loop.start();
  }

  /** True when some node already holds this name with a live lease. */
  public boolean isLive(NodeName name) {
    return store.get(Keys.health(name.value())).isPresent();
  }

  /** Records a node's facts and (re)starts its lease; called when an agent connects. */
  public Heartbeat register(NodeName name, String nodeId, Registration r) {
    return register(name, nodeId, r, NodeAccess.AGENT);
  }

  /** Records a node reached as {@code access} says (an agent's, or an engine found by discovery). */
  public Heartbeat register(NodeName name, String nodeId, Registration r, NodeAccess access) {
    Optional<Node> before = find(name);
    var now = clock.instant();
    Node node = new Node(name, nodeId, r.address(), NodeState.READY, r.engine(), r.labels(),
        before.map(Node::joinedAt).orElse(now), before.filter(b -> b.state() == NodeState.READY)
            .map(Node::changedAt).orElse(now), access, r.version());
    leases.renewOrGrant(name);
    remember(node, store.put(Keys.node(name.value()), Json.bytes(node)));
    if (before.isEmpty()) {
      activity.record("node-joined", "node/" + name, "node " + name + " joined from " + r.address()
          + " (" + r.engine().cpus() + " CPUs, " + (r.engine().memoryBytes() >> 20) + " MiB, Docker " + r.engine().engineVersion() + ")");
    } else if (before.get().state() == NodeState.DOWN) {
      activity.record("node-ready", "node/" + name, "node " + name + " is back (agent re-registered)");
    }
    return answer(NodeState.READY);
  }

  /**
   * Renews the node's lease. Throws {@link BerthException.NotFound} when the manager has no record
   * of the node, so the agent registers again (after a wiped store, say).
   */
  public Heartbeat heartbeat(NodeName name) {
    Node node = find(name).orElseThrow(() -> new BerthException.NotFound("NodeNotFound", "node " + name + " is not registered"));
    if (!leases.renew(name)) {
      // The lease expired while the agent was cut off; it is alive again.
      leases.renewOrGrant(name);
      markReady(node);
    }
    return answer(NodeState.READY);
  }

  /** All nodes, by name. */
  public List<Node> list() {
    if (viewed) return view.all();
    List<Node> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.NODES, MAX_NODES).items()) out.add(Json.read(kv.value(), Node.class));
    return out;
  }

  public Optional<Node> find(NodeName name) {
    if (viewed) return Optional.ofNullable(view.get(name));
    return store.get(Keys.node(name.value())).map(kv -> Json.read(kv.value(), Node.class));
  }

  private void remember(Node node, long revision) {
    view.remember(node, revision);
  }

  private void onNodeChange(WatchEvent e) {
    if (e.type() == WatchEvent.Type.DELETE) {
      // Keys come from the store, not from this code: one that spells no node name names nothing here.
      NodeName.lookup(Keys.tail(e.kv().key(), Keys.NODES)).ifPresent(name -> view.removed(name, e.kv().modRevision()));
    } else {
      remember(Json.read(e.kv().value(), Node.class), e.kv().modRevision());
    }
  }

  private Heartbeat answer(NodeState state) {
    return new Heartbeat(state.word(), heartbeat.toMillis(), ttl.toMillis());
  }

  private void markReady(Node seen) {
    // Read the record itself: the reconcile loop may have seen the new lease and marked it first.
    Optional<KeyValue> kv = store.get(Keys.node(seen.name().value()));
    if (kv.isEmpty()) return;
    Node node = Json.read(kv.get().value(), Node.class);
    if (node.state() == NodeState.READY) {
      remember(node, kv.get().modRevision()); // the loop wrote it and may not have told the view yet: reads follow the store
      return;
    }
    Node ready = node.withState(NodeState.READY, clock.instant());
    Optional<Long> written = store.compareAndPut(kv.get().key(), Json.bytes(ready), kv.get().modRevision(), 0);
    if (written.isEmpty()) { // the loop got there first, and said so
      store.get(kv.get().key()).ifPresent(now -> remember(Json.read(now.value(), Node.class), now.modRevision()));
      return;
    }
    remember(ready, written.get());
    activity.record("node-ready", "node/" + node.name(), "node " + node.name() + " is back (heartbeats resumed)");
  }

  private void onHealthChange(WatchEvent e) {
    Optional<NodeName> name = NodeName.lookup(Keys.tail(e.kv().key(), Keys.HEALTH));
    if (e.type() == WatchEvent.Type.DELETE) name.ifPresent(leases::forget);
    name.ifPresent(changed::add);
    loop.signal();
  }

  /**
   * Gives every node whose record is ready a fresh lease of the node TTL before this manager
   * judges: its agent then has a whole TTL to heartbeat through any manager (Nomad does the same
   * after a leader election).
   */
  public void refreshLeases() {
    for (Node node : list()) {
      if (node.state() == NodeState.READY) leases.renewOrGrant(node.name());
    }
  }

  /** When the last whole pass began; {@code Instant.MIN} before the first (a test waits for it). */
  Instant lastWholePass() {
    return lastWhole;
  }

  /** Asks for a whole judging pass at once (a new leader's first). */
  public void signal() {
    wholeWanted = true;
    loop.signal();
  }

  /**
   * One pass of the loop: the nodes whose health key changed, or all of them when a whole pass is wanted or
   * {@value #RECONCILE_SECONDS} s have gone since the last. Judging all 10,000 records on every join's health key
   * was O(N) per join, a quarter of the manager's CPU while thousands of nodes joined.
   */
  private void pass() {
    Instant now = clock.instant();
    try {
      // A clock set back also brings a whole pass: the net under missed events must not wait for it to catch up.
      if (wholeWanted || now.isBefore(lastWhole) || !now.isBefore(lastWhole.plusSeconds(RECONCILE_SECONDS))) {
        wholeWanted = false;
        lastWhole = now;
        changed.clear(); // judged below from the store as it is now; later changes are added again
        reconcile();
        return;
      }
      for (NodeName name : List.copyOf(changed)) {
        changed.remove(name);
        Optional<KeyValue> record = store.get(Keys.node(name.value())); // first, its health key after: as in the whole pass
        boolean live = store.get(Keys.health(name.value())).isPresent();
        record.ifPresent(kv -> settle(kv, view.known(kv), live));
      }
    } catch (RuntimeException e) {
      wholeWanted = true; // the names taken may not have been judged
      throw e;
    }
  }

  /** Makes every record's state agree with its health key: down when gone, ready when present. */
  void reconcile() {
    // Records first, health keys after: a health key is then at least as new as the record it judges.
    List<KeyValue> records = store.range(Keys.NODES, MAX_NODES).items();
    Set<NodeName> live = new HashSet<>();
    for (KeyValue kv : store.range(Keys.HEALTH, MAX_NODES).items()) NodeName.lookup(Keys.tail(kv.key(), Keys.HEALTH)).ifPresent(live::add);
    for (KeyValue kv : records) {
      Node node = view.known(kv);
      settle(kv, node, live.contains(node.name()));
    }
  }

  private void settle(KeyValue kv, Node node, boolean live) {
    NodeState actual = live ? NodeState.READY : NodeState.DOWN;
    if (node.state() == actual) return;
    // Compare-and-put: a concurrent register wins over this stale view.
    Node judged = node.withState(actual, clock.instant());
    Optional<Long> written = judge.store().compareAndPut(kv.key(), Json.bytes(judged), kv.modRevision(), 0);
    if (written.isEmpty()) return;
    remember(judged, written.get());
    boolean down = actual == NodeState.DOWN;
    activity.record(down ? "node-down" : "node-ready", "node/" + node.name(),
        "node " + node.name() + (down ? " is down: no heartbeat for " + ttl.toSeconds() + "s" : " is back"));
  }

  @Override
  public void close() {
    if (watch != null) watch.close();
    if (nodeWatch != null) nodeWatch.close();
    loop.stop();
  }
}

package io.berth.manager.plan;

import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.identity.StoreLock;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one serialised plan step of the cluster: {@code docker run} on every manager and the leader's LRP
 * placements plan and claim one at a time, so two never both take a node's last memory, CPUs, port or
 * name. Whoever holds it plans on a view with what the others placed just before: each holder leaves in
 * a short journal in the store the containers it created (the next holder, on any manager, first reads
 * them into its own cache, since its event streams may not have brought them yet) and the instances it
 * claimed (which {@code docker run} counts as {@link #pending()} until their containers show). On a
 * store several managers share (etcd) the step is a {@link StoreLock}; on one only this manager uses
 * (SQLite) it is a local lock and the journal stays in memory.
 */
public final class PlanLock {
  private static final Logger log = LoggerFactory.getLogger(PlanLock.class);
  static final String LOCK = "/berth/docker/create-lock";
  static final String JOURNAL = "/berth/docker/created/";
  static final String CLAIMS = "lrp\n";
  /** A manager killed holding the step stalls the others' creates this long at most. */
  private static final Duration HOLD = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** How long a created container stays in the journal: longer than any engine event takes to arrive. */
  private static final Duration REMEMBER = Duration.ofSeconds(60);
  /** How long a claim counts while its container does not show: an agent may pull a large image first. */
  static final Duration REMEMBER_CLAIMS = Duration.ofMinutes(5);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final StateStore store;
  private final StoreLock storeLock;
  private final ClusterView cluster;
  private final String holder;
  private final ReentrantLock local = new ReentrantLock();
  /** The journal's revision this manager has caught up to; guarded by {@link #local}. */
  private long seen;
  /** The lease of created containers' journal entries, used until {@link #journalLeaseUntilNanos}; guarded by {@link #local}. */
  private long journalLease = StateStore.Lease.NONE;
  private long journalLeaseUntilNanos;
  /** Claims to count, from the journal (shared) or this manager's own (local); guarded by {@link #local}. */
  private List<Pending> pending = new ArrayList<>();

  private record Pending(Reservation reservation, long untilNanos) {}

  private PlanLock(StateStore store, String holder, ClusterView cluster) {
    this.store = store;
    this.holder = holder;
    this.cluster = cluster;
    this.storeLock = store == null ? null : new StoreLock(store, LOCK, holder, HOLD, WAIT, "create lock");
    this.seen = store == null ? 0 : store.revision(); // what was created before this manager started, its caches list anyway
  }

  /** For a store several managers may share: {@code holder} names this manager in the lock and the journal. */
  public static PlanLock shared(StateStore store, String holder, ClusterView cluster) {
    return new PlanLock(store, holder + "-" + Long.toHexString(System.nanoTime()), cluster);
  }

  /** For a store no other manager shares: a local lock. */
  public static PlanLock local() {
    return new PlanLock(null, "local", null);
  }

  /** The store several managers share, where this step locks; null for one manager alone. */
  public StateStore sharedStore() {
    return store;
  }

  /** Runs {@code work} holding the plan step, after catching up on what other managers placed since this one last held it. */
  public <T> T holding(Supplier<T> work) {
    local.lock();
    try {
      if (storeLock == null) return work.get();
      long asked = System.nanoTime();
      return storeLock.holding(() -> {
        long taken = System.nanoTime();
        catchUp(asked, taken);
        return work.get();
      });
    } finally {
      local.unlock();
    }
  }

  /** Reads the journal: containers created since {@link #seen} into the cache, and every claim still in it as pending. */
  private void catchUp(long asked, long taken) {
    long newest = seen;
    List<Pending> claims = new ArrayList<>();
    List<KeyValue> journal = store.range(JOURNAL, 10_000).items();
    long read = System.nanoTime();
    int learned = 0;
    for (KeyValue kv : journal) {
      String text = kv.text();
      if (text.startsWith(CLAIMS)) {
        for (String line : text.substring(CLAIMS.length()).split("\n")) parseClaim(line, claims);
      } else if (kv.modRevision() > seen) {
        String[] nodeAndId = text.split(" ", 2);
        if (nodeAndId.length == 2) learned += NodeName.lookup(nodeAndId[0]).map(node -> refresh(node, nodeAndId[1])).orElse(0);
      }
      newest = Math.max(newest, kv.modRevision());
    }
    seen = newest;
    pending = claims; // the store's leases age them out
    // Where the step's entry goes, in microseconds: the store lock's take, the journal's read, the reads of containers
    // other managers created that this manager's cache did not hold yet (learned of them).
    if (log.isDebugEnabled()) {
      log.debug("plan-lock-timing take={} journal={} learn={} learned={} entries={}", (taken - asked) / 1000, (read - taken) / 1000,
          (System.nanoTime() - read) / 1000, learned, journal.size());
    }
  }

  private static void parseClaim(String line, List<Pending> into) {
    String[] f = line.split(" ");
    if (f.length != 4) return;
    try {
      NodeName.lookup(f[0]).ifPresent(node -> into.add(new Pending(new Reservation(node, f[1], f[3], Long.parseLong(f[2])), Long.MAX_VALUE)));
    } catch (NumberFormatException e) {
      // a line this version cannot read reserves nothing
    }
  }

  /** A container another manager created while this one did not hold the step: into the cache before planning; 1 when it had to be read. */
  private int refresh(NodeName nodeName, String id) {
    if (cluster == null) return 0;
    for (Node n : cluster.ready()) {
      // Its event has usually brought it in already (the creating client's round trip takes longer than the event), or
      // its destroy event has (a short-lived container): then there is nothing to read.
      if (n.name().equals(nodeName) && !cluster.cache().knows(n, id)) {
        cluster.cache().learn(n, id);
        return 1;
      }
    }
    return 0;
  }

  /** Notes a container this manager created, for the next holder to catch up on. Call holding the step. */
  public void created(NodeName node, String id) {
    if (store == null) return;
    String key = JOURNAL + holder + "-" + SEQUENCE.incrementAndGet();
    byte[] value = (node.value() + " " + id).getBytes(StandardCharsets.UTF_8);
    long revision;
    try {
      revision = store.put(key, value, journalLease());
    } catch (StoreException e) {
      journalLease = StateStore.Lease.NONE; // the store lost the lease (expired while it was away, or revoked): a fresh one
      revision = store.put(key, value, journalLease());
    }
    seen = Math.max(seen, revision); // this manager's cache has it already
  }

  /**
   * The lease created containers' journal entries go on: granted for twice {@link #REMEMBER} and used for one
   * {@code REMEMBER}, so each entry lives at least that long, and a create makes one store write, not two. Holding the step.
   */
  private long journalLease() {
    long now = System.nanoTime();
    if (journalLease == StateStore.Lease.NONE || now - journalLeaseUntilNanos >= 0) {
      journalLease = store.grantLease(REMEMBER.multipliedBy(2));
      journalLeaseUntilNanos = now + REMEMBER.toNanos();
    }
    return journalLease;
  }

  /** Notes a batch of instances claimed, one journal entry for the batch. Call holding the step. */
  public void claimed(List<Reservation> batch) {
    if (batch.isEmpty()) return;
    if (store == null) {
      long until = System.nanoTime() + REMEMBER_CLAIMS.toNanos();
      pending.removeIf(p -> p.untilNanos() < System.nanoTime());
      for (Reservation r : batch) pending.add(new Pending(r, until));
      return;
    }
    StringBuilder text = new StringBuilder(CLAIMS);
    for (Reservation r : batch) text.append(r.node().value()).append(' ').append(r.instanceGuid()).append(' ').append(r.memoryBytes())
        .append(' ').append(r.image()).append('\n');
    long lease = store.grantLease(REMEMBER_CLAIMS);
    seen = Math.max(seen, store.put(JOURNAL + holder + "-" + SEQUENCE.incrementAndGet(), text.toString().getBytes(StandardCharsets.UTF_8), lease));
    for (Reservation r : batch) pending.add(new Pending(r, Long.MAX_VALUE));
  }

  /** The claims whose containers may not show yet, for a plan to count as reserving (see {@link Reservation#overlay}). Holding the step. */
  public List<Reservation> pending() {
    long now = System.nanoTime();
    return pending.stream().filter(p -> p.untilNanos() >= now).map(Pending::reservation).toList();
  }
}

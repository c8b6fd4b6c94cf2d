package io.berth.manager.docker;

import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Makes scheduled creates one at a time across every manager sharing the store, so two
 * {@code docker run}s sent to two managers never both take a node's last memory, port or a name.
 * The lock is a key on a short lease (a manager that dies holding it frees it when the lease ends).
 * Each holder records what it created in a short journal; the next holder, on any manager, first
 * re-reads those containers into its own cache, since its event streams may not have brought them
 * yet. It costs a handful of store writes per create, so a store only one manager can use
 * (SQLite, embedded) gets {@link #local()}, which runs the work as it is.
 */
final class CreateLock {
  static final String LOCK = "/berth/docker/create-lock";
  static final String JOURNAL = "/berth/docker/created/";
  private static final Duration HOLD = Duration.ofSeconds(15);
  private static final Duration REMEMBER = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final StateStore store;
  private final String holder;
  /** The journal's revision this manager has caught up to. Guarded by the caller's local lock. */
  private long seen;

  CreateLock(StateStore store, String holder) {
    this.store = store;
    this.holder = holder;
    this.seen = store == null ? 0 : store.revision(); // what was created before this manager started, its caches list anyway
  }

  /** For a store no other manager shares: nothing to coordinate. */
  static CreateLock local() {
    return new CreateLock(null, "local");
  }

  /**
   * Runs {@code work} holding the lock, after giving {@code catchUp} every (node, container id)
   * another manager created since this one last held it. Callers serialise within one manager.
   */
  <T> T holding(BiConsumer<NodeName, String> catchUp, Supplier<T> work) {
    if (store == null) return work.get();
    long lease = store.grantLease(HOLD);
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!store.create(LOCK, holder.getBytes(StandardCharsets.UTF_8), lease)) {
        if (System.nanoTime() > deadline) {
          String by = store.get(LOCK).map(KeyValue::text).orElse("?");
          throw new BerthException.Unavailable("another manager (" + by + ") has held the create lock for " + WAIT.toSeconds() + " s; try again");
        }
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      }
      try {
        long newest = seen;
        for (KeyValue kv : store.range(JOURNAL, 10_000).items()) {
          if (kv.modRevision() <= seen) continue;
          String[] nodeAndId = kv.text().split(" ", 2);
          if (nodeAndId.length == 2) NodeName.lookup(nodeAndId[0]).ifPresent(n -> catchUp.accept(n, nodeAndId[1]));
          newest = Math.max(newest, kv.modRevision());
        }
        seen = newest;
        return work.get();
      } finally {
        store.delete(LOCK);
      }
    } finally {
      store.revoke(lease);
    }
  }

  /** Notes a container this manager created, for the next holder to catch up on. */
  void record(NodeName node, String id) {
    if (store == null) return;
    long lease = store.grantLease(REMEMBER);
    long revision = store.put(JOURNAL + holder + "-" + SEQUENCE.incrementAndGet(), (node + " " + id).getBytes(StandardCharsets.UTF_8), lease);
    seen = Math.max(seen, revision); // this manager's cache has it already
  }
}

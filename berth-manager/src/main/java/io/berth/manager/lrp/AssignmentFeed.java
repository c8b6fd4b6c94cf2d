package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.Assignments;
import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each node's assignments as a long poll: an agent asks with the revision of the list it holds and
 * the answer comes when that node's work changes, or after {@code wait} with the same list. The
 * whole list each time, so the agent's view is always complete (level, not edge), and an agent that
 * reconnects to another manager simply asks again.
 */
final class AssignmentFeed implements AutoCloseable {
  private final LrpStore store;
  private final Map<String, Long> changed = new ConcurrentHashMap<>();
  /** Every assigned instance guid and its node, kept by the watch: what convergence checks claims against. */
  private final Map<String, String> assigned = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private long startRevision;
  private Watch watch;

  AssignmentFeed(LrpStore store) {
    this.store = store;
  }

  void start() {
    Page all = store.raw().range(Keys.ASSIGN, LrpStore.MAX);
    startRevision = all.revision();
    for (KeyValue kv : all.items()) remember(kv.key(), true);
    watch = store.raw().watch(Keys.ASSIGN, startRevision + 1, this::onChange);
  }

  /** The instance guids assigned to any node now. */
  java.util.Set<String> assigned() {
    return java.util.Collections.unmodifiableSet(assigned.keySet());
  }

  private String remember(String key, boolean present) {
    String rest = Keys.tail(key, Keys.ASSIGN);
    int slash = rest.indexOf('/');
    if (slash < 0) return null;
    String node = rest.substring(0, slash);
    if (present) assigned.put(rest.substring(slash + 1), node);
    else assigned.remove(rest.substring(slash + 1));
    return node;
  }

  private void onChange(WatchEvent e) {
    String node = remember(e.kv().key(), e.type() == WatchEvent.Type.PUT);
    if (node == null) return;
    changed.merge(node, e.revision(), Math::max);
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** The node's assignments once they changed after revision {@code after} (0: at once), or after {@code wait}. */
  Assignments poll(String node, long after, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      // Read before checking for a change: a change after the read is then seen by the check or the wait.
      Page page = store.assignments(node);
      // A list read before this manager started may have missed changes it never watched: answer
      // at once. One read since then waits for a change the watch has seen.
      boolean fresh = after < startRevision || changed.getOrDefault(node, 0L) > after;
      long left = deadline - System.nanoTime();
      if (fresh || left <= 0) return assignments(page);
      synchronized (lock) {
        if (changed.getOrDefault(node, 0L) <= after) lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private static Assignments assignments(Page page) {
    List<Assignment> out = new ArrayList<>(page.items().size());
    for (KeyValue kv : page.items()) out.add(Json.read(kv.value(), Assignment.class));
    return new Assignments(page.revision(), out);
  }

  @Override
  public void close() {
    if (watch != null) watch.close();
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}

package io.berth.manager.lrp;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.Assignments;
import io.berth.core.Keys;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.manager.feed.LongPoll;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each node's assignments as a long poll: an agent asks with the revision of the list it holds and
 * the answer comes when that node's work changes, or after {@code wait} with the same list. The
 * whole list each time, so the agent's view is always complete (level, not edge), and an agent that
 * reconnects to another manager simply asks again.
 */
final class AssignmentFeed implements AutoCloseable {
  private final LrpStore store;
  /** Every assigned instance (or task) guid and its node, kept by the watch: what convergence checks claims against. */
  private final Map<InstanceGuid, String> assigned = new ConcurrentHashMap<>();
  private final LongPoll feed;
  /**
   * A pass claims a node's instances one write each: the node's agent is answered once they have stopped coming for
   * this long, so it plans once for the batch rather than once per claim it happened to see.
   */
  static final Duration GATHER = Duration.ofMillis(10);

  AssignmentFeed(LrpStore store) {
    this.store = store;
    this.feed = new LongPoll(store.raw(), Keys.ASSIGN, e -> remember(e.kv().key(), e.type() == WatchEvent.Type.PUT), GATHER);
  }

  void start() {
    for (KeyValue kv : feed.start(LrpStore.MAX).items()) remember(kv.key(), true);
  }

  /** The instance guids assigned to any node now. */
  Set<InstanceGuid> assigned() {
    return Collections.unmodifiableSet(assigned.keySet());
  }

  private void remember(String key, boolean present) {
    String node = LongPoll.group(key, Keys.ASSIGN);
    if (node == null) return;
    String guid = Keys.tail(key, Keys.ASSIGN).substring(node.length() + 1);
    if (present) assigned.put(InstanceGuid.of(guid), node);
    else assigned.remove(InstanceGuid.of(guid));
  }

  /** The node's assignments once they changed after revision {@code after} (0: at once), or after {@code wait}. */
  Assignments poll(NodeName node, long after, Duration wait) throws InterruptedException {
    return assignments(feed.poll(node.value(), after, wait, () -> store.assignments(node)));
  }

  private static Assignments assignments(Page page) {
    List<Assignment> out = new ArrayList<>(page.items().size());
    for (KeyValue kv : page.items()) out.add(Json.read(kv.value(), Assignment.class));
    return new Assignments(page.revision(), out);
  }

  @Override
  public void close() {
    feed.close();
  }
}

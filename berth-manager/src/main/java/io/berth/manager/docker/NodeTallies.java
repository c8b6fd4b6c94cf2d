package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each node's containers add up to for {@code docker info}, kept per node record and cache version
 * (as {@code NodeViews} keeps the scheduler's view): at 10,000 nodes a call read 100,000 containers' labels.
 */
final class NodeTallies {
  /** A node's containers, those running, and what those that reserve hold. */
  record Tally(int count, int up, long reservedMem, double reservedCpus) {
    static final Tally NONE = new Tally(0, 0, 0, 0);
  }

  private record Kept(Node node, long version, Tally tally) {}

  private final Map<NodeName, Kept> kept = new ConcurrentHashMap<>();

  /** Each node's tally: as kept for its version, or counted now and kept; nodes no longer held are dropped. */
  Map<NodeName, Tally> of(List<ClusterView.Held> held) {
    Map<NodeName, Tally> out = new HashMap<>();
    for (ClusterView.Held h : held) out.put(h.node().name(), tally(h));
    kept.keySet().retainAll(out.keySet());
    return out;
  }

  private Tally tally(ClusterView.Held h) {
    Kept k = kept.get(h.node().name());
    if (h.version() >= 0 && k != null && k.version() == h.version() && k.node().equals(h.node())) return k.tally();
    Tally t = count(h.entries());
    if (h.version() >= 0) kept.put(h.node().name(), new Kept(h.node(), h.version(), t));
    return t;
  }

  static Tally count(List<ContainerCache.Entry> list) {
    int up = 0;
    long reservedMem = 0;
    double reservedCpus = 0;
    for (ContainerCache.Entry e : list) {
      if ("running".equals(e.state())) up++;
      if (ClusterView.reserving(e.state())) {
        JsonNode c = e.summary();
        reservedMem += c.path("Labels").path(ClusterView.MEMORY_LABEL).asLong(0);
        reservedCpus += c.path("Labels").path(ClusterView.CPUS_LABEL).asDouble(0);
      }
    }
    return new Tally(list.size(), up, reservedMem, reservedCpus);
  }
}

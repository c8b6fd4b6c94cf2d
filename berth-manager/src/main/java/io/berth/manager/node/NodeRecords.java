package io.berth.manager.node;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.store.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The registry's view of the node records in memory, each with the store revision it was read at, so
 * that a late watch event never undoes a newer write; a removed node stays as a tombstone for the same reason.
 */
final class NodeRecords {
  /** Sorted by name, so that listing all (each pass of some loops, on each join) copies without sorting 10,000 records. */
  private final ConcurrentNavigableMap<NodeName, Versioned> view = new ConcurrentSkipListMap<>();

  private record Versioned(Node node, long revision) {}

  void remember(Node node, long revision) {
    keep(node.name(), new Versioned(node, revision));
  }

  void removed(NodeName name, long revision) {
    keep(name, new Versioned(null, revision));
  }

  private void keep(NodeName name, Versioned v) {
    view.merge(name, v, (old, now) -> now.revision() >= old.revision() ? now : old);
  }

  /** The node's record, or null when there is none. */
  Node get(NodeName name) {
    Versioned v = view.get(name);
    return v == null ? null : v.node();
  }

  /** All records, by name. */
  List<Node> all() {
    List<Node> out = new ArrayList<>();
    for (Versioned v : view.values()) if (v.node() != null) out.add(v.node());
    return out;
  }

  /** The stored record: as held here when of the same revision (no decoding: a whole pass reads 10,000), else decoded. */
  Node known(KeyValue kv) {
    Versioned v = NodeName.lookup(Keys.tail(kv.key(), Keys.NODES)).map(view::get).orElse(null);
    return v != null && v.node() != null && v.revision() == kv.modRevision() ? v.node() : Json.read(kv.value(), Node.class);
  }
}

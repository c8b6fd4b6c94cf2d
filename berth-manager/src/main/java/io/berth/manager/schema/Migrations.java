package io.berth.manager.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Every change of a stored record's shape, in order: the registry a manager walks when it finds a
 * store of an older schema. Schema 1 is every store from before the schema mark existed.
 */
final class Migrations {
  /** The store schema this build writes; one more than the last migration's {@code from}. */
  static final int CURRENT = 2;

  static final List<Migration> ALL = List.of(
      // Node records written before engines could be discovered had no access field; the record
      // read them as agent nodes, and now says so on disk.
      new Migration("/berth/nodes/", 1, "node records name their access (agent)", Migrations::nodeAccess));

  private Migrations() {}

  static ObjectNode nodeAccess(ObjectNode node) {
    if (!node.hasNonNull("access")) node.put("access", "agent");
    return node;
  }

  /** The record at {@code key}, of store schema {@code from}, in schema {@code to}'s form: each step whose prefix matches, in order. */
  static ObjectNode upgrade(List<Migration> steps, String key, int from, int to, ObjectNode record) {
    ObjectNode tree = record;
    for (Migration m : steps) {
      if (m.from() >= from && m.from() < to && key.startsWith(m.prefix())) tree = m.change().apply(tree);
    }
    return tree;
  }
}

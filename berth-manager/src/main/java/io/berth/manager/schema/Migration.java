package io.berth.manager.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/**
 * One step of the store's shape: the records under {@code prefix} as store schema {@code from}
 * wrote them, changed into schema {@code from + 1}'s form by {@code change}, a pure function over
 * the JSON tree. A change must be idempotent (a record already in the new form comes out as it
 * went in), because two managers starting at once may both migrate the same record.
 */
record Migration(String prefix, int from, String what, UnaryOperator<ObjectNode> change) {
  Migration {
    if (from < 1) throw new IllegalArgumentException("a migration starts at schema 1 or later: " + from);
  }
}

package io.berth.core.id;

import io.berth.core.node.NodeNames;
import java.util.Objects;
import java.util.Optional;

/** A node's name, as it joined; {@link #NONE} ("") where a record is on no node yet. */
public record NodeName(String value) implements Comparable<NodeName> {
  /** On no node: an unclaimed instance, a pending task. */
  public static final NodeName NONE = new NodeName("");

  public NodeName {
    Objects.requireNonNull(value, "node name");
    if (!value.isEmpty()) NodeNames.check(value);
  }

  public static NodeName of(String value) {
    return value.isEmpty() ? NONE : new NodeName(value);
  }

  /** The name {@code raw} spells, or empty when it spells none: a lookup by it finds no node. */
  public static Optional<NodeName> lookup(String raw) {
    return raw == null || !NodeNames.valid(raw) ? Optional.empty() : Optional.of(new NodeName(raw));
  }

  public boolean isNone() {
    return value.isEmpty();
  }

  @Override
  public int compareTo(NodeName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

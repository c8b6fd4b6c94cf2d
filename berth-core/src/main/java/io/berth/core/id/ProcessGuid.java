package io.berth.core.id;

import java.util.Objects;

/**
 * A DesiredLRP's process guid. Its character rule is checked with the request's other fields by
 * {@code LrpValidation} (every problem named by its JSON path), not here, so a bad guid in a body
 * is a 400 listing it, and a lookup by any path segment is a plain 404.
 */
public record ProcessGuid(String value) implements Comparable<ProcessGuid> {
  public ProcessGuid {
    Objects.requireNonNull(value, "process guid");
  }

  @Override
  public int compareTo(ProcessGuid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

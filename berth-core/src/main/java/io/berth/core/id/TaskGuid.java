package io.berth.core.id;

import java.util.Objects;

/** A task's guid; like {@link ProcessGuid}, its character rule is {@code LrpValidation}'s. */
public record TaskGuid(String value) implements Comparable<TaskGuid> {
  public TaskGuid {
    Objects.requireNonNull(value, "task guid");
  }

  @Override
  public int compareTo(TaskGuid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

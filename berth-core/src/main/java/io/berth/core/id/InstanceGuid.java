package io.berth.core.id;

import java.util.Objects;

/**
 * One placement of an LRP slot: a new guid each time the slot is claimed, so an agent never adopts
 * a stale container for another slot. {@link #NONE} ("") while the slot is unclaimed.
 */
public record InstanceGuid(String value) {
  /** Not placed. */
  public static final InstanceGuid NONE = new InstanceGuid("");

  public InstanceGuid {
    Objects.requireNonNull(value, "instance guid");
  }

  public static InstanceGuid of(String value) {
    return value.isEmpty() ? NONE : new InstanceGuid(value);
  }

  public boolean isNone() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return value;
  }
}

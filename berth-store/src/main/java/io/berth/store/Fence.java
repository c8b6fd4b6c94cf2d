package io.berth.store;

import java.util.Objects;

/**
 * A manager's term as leader: the leader key and the create revision it had when this manager
 * created it. A write made through {@link StateStore#fenced} commits only while that key still
 * stands with that create revision, so a deposed leader cannot change anything.
 */
public record Fence(String key, long createRevision) {
  public Fence {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a fence needs a key");
    }
    if (createRevision <= 0) {
      throw new IllegalArgumentException("a fence's create revision must be positive: " + createRevision);
    }
  }
}

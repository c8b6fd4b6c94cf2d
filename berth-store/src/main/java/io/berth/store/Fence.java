package io.berth.store;

/**
 * A leadership term: writes made through {@link StateStore#fenced} commit only while {@code key}
 * still exists with {@code createRevision}, so a deposed leader's late writes are refused.
 */
public record Fence(String key, long createRevision) {}

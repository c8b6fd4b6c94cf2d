package io.berth.core.scale;

import java.time.Instant;

/**
 * From {@code at} on, the autoscaler recommended {@code instances} (until the next entry). Kept as
 * a run, one entry per change, so the history is written to the store only when it changes.
 */
public record Recommendation(Instant at, int instances) {}

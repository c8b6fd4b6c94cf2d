package io.berth.store;

import java.time.Duration;

/**
 * Tuning of the SQLite store: how often expired leases are reaped, and how much watch history
 * is kept (at most {@code keepRevisions} revisions, none older than {@code keepFor}).
 */
record SqliteOptions(Duration reapEvery, Duration compactEvery, long keepRevisions, Duration keepFor) {

  static final SqliteOptions DEFAULTS =
      new SqliteOptions(Duration.ofMillis(150), Duration.ofSeconds(5), 10_000, Duration.ofHours(1));

  SqliteOptions {
    if (keepRevisions < 1) {
      throw new IllegalArgumentException("keepRevisions must be >= 1: " + keepRevisions);
    }
  }
}

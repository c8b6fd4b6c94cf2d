package io.berth.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Lease rows on the writer connection; called only under the store's write lock. */
final class SqliteLeases {
  private final PreparedStatement insert;
  private final PreparedStatement renew;
  private final PreparedStatement expired;

  SqliteLeases(Connection writer) throws SQLException {
    insert = writer.prepareStatement("INSERT OR IGNORE INTO leases(id, ttl_ms, expires_at_ms) VALUES (?, ?, ?)");
    // MAX: renewals are written late and judged at their arrival, so one may be older than the last written.
    renew = writer.prepareStatement(
        "UPDATE leases SET expires_at_ms = MAX(expires_at_ms, ? + ttl_ms) WHERE id = ? AND expires_at_ms > ?");
    expired = writer.prepareStatement("SELECT id FROM leases WHERE expires_at_ms <= ? ORDER BY expires_at_ms");
  }

  /** Inserts a lease with a random positive id, as etcd hands out. */
  long grant(long ttlMs, long nowMs) throws SQLException {
    while (true) {
      long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
      insert.setLong(1, id);
      insert.setLong(2, ttlMs);
      insert.setLong(3, nowMs + ttlMs);
      if (insert.executeUpdate() == 1) {
        return id;
      }
    }
  }

  /**
   * Renews a lease that had not expired at {@code atMs} (when the renewal arrived) to {@code atMs} + its TTL; a lease
   * past its expiry stays dead even before it is reaped.
   */
  boolean renew(long id, long atMs) throws SQLException {
    renew.setLong(1, atMs);
    renew.setLong(2, id);
    renew.setLong(3, atMs);
    return renew.executeUpdate() == 1;
  }

  List<Long> expired(long nowMs) throws SQLException {
    expired.setLong(1, nowMs);
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = expired.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}

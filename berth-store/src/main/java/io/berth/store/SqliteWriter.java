package io.berth.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's one writer connection and its statements. Not thread-safe: the store calls it
 * only while holding its write lock, and every change runs inside {@link #inTransaction}.
 */
final class SqliteWriter implements AutoCloseable {
  /** A unit of work inside one write transaction. */
  interface Work<T> {
    T run() throws SQLException;
  }

  private final Connection conn;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement nextRevision;
  private final PreparedStatement current;
  private final PreparedStatement upsert;
  private final PreparedStatement deleteKey;
  private final PreparedStatement insertHistory;
  private final PreparedStatement leaseExists;
  private final PreparedStatement leaseAlive;
  private final PreparedStatement meta;
  private long commits; // under the store's write lock; read by tests

  SqliteWriter(Connection conn) throws SQLException {
    this.conn = conn;
    begin = conn.prepareStatement("BEGIN IMMEDIATE");
    commit = conn.prepareStatement("COMMIT");
    rollback = conn.prepareStatement("ROLLBACK");
    nextRevision = conn.prepareStatement("UPDATE meta SET value = value + 1 WHERE name = 'revision' RETURNING value");
    current = conn.prepareStatement("SELECT value, create_rev, mod_rev, lease FROM kv WHERE key = ?");
    upsert = conn.prepareStatement("INSERT INTO kv(key, value, create_rev, mod_rev, lease) VALUES (?, ?, ?, ?, ?)"
        + " ON CONFLICT(key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev, lease = excluded.lease");
    deleteKey = conn.prepareStatement("DELETE FROM kv WHERE key = ?");
    insertHistory = conn.prepareStatement("INSERT INTO history(revision, key, type, value, create_rev, lease,"
        + " prev_value, prev_create_rev, prev_mod_rev, prev_lease, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    leaseExists = conn.prepareStatement("SELECT 1 FROM leases WHERE id = ?");
    leaseAlive = conn.prepareStatement("SELECT 1 FROM leases WHERE id = ? AND expires_at_ms > ?");
    meta = conn.prepareStatement("SELECT value FROM meta WHERE name = ?");
  }

  Connection connection() {
    return conn;
  }

  /** Runs {@code work} between {@code BEGIN IMMEDIATE} and {@code COMMIT}, rolling back on any failure. */
  <T> T inTransaction(Work<T> work) throws SQLException {
    begin.execute();
    T result;
    try {
      result = work.run();
    } catch (SQLException | RuntimeException e) {
      try {
        rollback.execute();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    commit.execute();
    commits++;
    return result;
  }

  /** Transactions committed through this connection. */
  long commits() {
    return commits;
  }

  long meta(String name) throws SQLException {
    meta.setString(1, name);
    try (ResultSet rs = meta.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  KeyValue current(String key) throws SQLException {
    current.setString(1, key);
    try (ResultSet rs = current.executeQuery()) {
      return rs.next() ? SqliteRows.keyValue(key, rs, 1) : null;
    }
  }

  /**
   * Throws {@link FencedOutException} unless the fence's key stands with its create revision
   * ({@code null}: no fence). A key whose lease has expired counts as gone though the reaper has
   * not deleted it yet, as etcd deletes it when the lease expires.
   */
  void checkFence(Fence fence, long nowMs) throws SQLException {
    if (fence == null) {
      return;
    }
    KeyValue leader = current(fence.key());
    if (leader == null || leader.createRevision() != fence.createRevision()
        || (leader.lease() != StateStore.Lease.NONE && !leaseAlive(leader.lease(), nowMs))) {
      throw new FencedOutException(fence);
    }
  }

  /** Writes {@code key} over {@code previous} (null when absent) and records the change. */
  WatchEvent put(String key, byte[] value, long lease, KeyValue previous, long nowMs) throws SQLException {
    if (lease != StateStore.Lease.NONE && !leaseExists(lease)) {
      throw new StoreException("cannot write " + key + ": lease " + lease + " does not exist (it expired or was revoked)");
    }
    long revision = nextRevision();
    long created = previous == null ? revision : previous.createRevision();
    upsert.setString(1, key);
    upsert.setBytes(2, value);
    upsert.setLong(3, created);
    upsert.setLong(4, revision);
    upsert.setLong(5, lease);
    upsert.executeUpdate();
    KeyValue kv = new KeyValue(key, value, created, revision, lease);
    history(revision, SqliteRows.PUT, kv, previous, nowMs);
    return new WatchEvent(WatchEvent.Type.PUT, kv, previous);
  }

  /** Deletes the existing key {@code previous} and records the change. */
  WatchEvent delete(KeyValue previous, long nowMs) throws SQLException {
    long revision = nextRevision();
    deleteKey.setString(1, previous.key());
    deleteKey.executeUpdate();
    KeyValue kv = SqliteRows.deleted(previous.key(), revision);
    history(revision, SqliteRows.DELETE, kv, previous, nowMs);
    return new WatchEvent(WatchEvent.Type.DELETE, kv, previous);
  }

  /** Deletes every key on the lease (each change its own revision), then the lease itself. */
  List<WatchEvent> revoke(long lease, long nowMs) throws SQLException {
    List<KeyValue> keys = new ArrayList<>();
    try (PreparedStatement st = conn.prepareStatement(
        "SELECT key, value, create_rev, mod_rev, lease FROM kv WHERE lease = ? ORDER BY key")) {
      st.setLong(1, lease);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          keys.add(SqliteRows.keyValue(rs.getString(1), rs, 2));
        }
      }
    }
    List<WatchEvent> events = new ArrayList<>(keys.size());
    for (KeyValue kv : keys) {
      events.add(delete(kv, nowMs));
    }
    try (PreparedStatement st = conn.prepareStatement("DELETE FROM leases WHERE id = ?")) {
      st.setLong(1, lease);
      st.executeUpdate();
    }
    return events;
  }

  /**
   * The revision below which history may go: at most {@code keepRevisions} revisions are kept,
   * and none written before {@code cutoffMs}.
   */
  long compactionTarget(long keepRevisions, long cutoffMs) throws SQLException {
    long byCount = meta("revision") - keepRevisions + 1;
    long byAge = 0;
    try (PreparedStatement st = conn.prepareStatement(
        "SELECT revision FROM history WHERE at_ms < ? ORDER BY revision DESC LIMIT 1")) {
      st.setLong(1, cutoffMs);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          byAge = rs.getLong(1) + 1;
        }
      }
    }
    return Math.max(byCount, byAge);
  }

  /** Drops history older than {@code revision} (etcd's meaning of "compact at"); call in a transaction. */
  boolean compact(long requested) throws SQLException {
    // Like etcd, never compact past the current revision: its own change stays watchable.
    long revision = Math.min(requested, meta("revision"));
    if (revision - 1 <= meta("compacted")) {
      return false;
    }
    try (PreparedStatement delete = conn.prepareStatement("DELETE FROM history WHERE revision < ?");
        PreparedStatement mark = conn.prepareStatement("UPDATE meta SET value = ? WHERE name = 'compacted'")) {
      delete.setLong(1, revision);
      delete.executeUpdate();
      mark.setLong(1, revision - 1);
      mark.executeUpdate();
    }
    return true;
  }

  private boolean leaseAlive(long lease, long nowMs) throws SQLException {
    leaseAlive.setLong(1, lease);
    leaseAlive.setLong(2, nowMs);
    try (ResultSet rs = leaseAlive.executeQuery()) {
      return rs.next();
    }
  }

  private boolean leaseExists(long lease) throws SQLException {
    leaseExists.setLong(1, lease);
    try (ResultSet rs = leaseExists.executeQuery()) {
      return rs.next();
    }
  }

  private long nextRevision() throws SQLException {
    try (ResultSet rs = nextRevision.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void history(long revision, int type, KeyValue kv, KeyValue previous, long nowMs) throws SQLException {
    insertHistory.setLong(1, revision);
    insertHistory.setString(2, kv.key());
    insertHistory.setInt(3, type);
    insertHistory.setBytes(4, type == SqliteRows.PUT ? kv.value() : null);
    insertHistory.setLong(5, kv.createRevision());
    insertHistory.setLong(6, kv.lease());
    insertHistory.setBytes(7, previous == null ? null : previous.value());
    insertHistory.setLong(8, previous == null ? 0 : previous.createRevision());
    insertHistory.setLong(9, previous == null ? 0 : previous.modRevision());
    insertHistory.setLong(10, previous == null ? 0 : previous.lease());
    insertHistory.setLong(11, nowMs);
    insertHistory.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}

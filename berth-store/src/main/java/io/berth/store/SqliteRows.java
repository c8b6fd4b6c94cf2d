package io.berth.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps rows of the SQLite schema to the store's records. */
final class SqliteRows {
  static final int PUT = 0;
  static final int DELETE = 1;
  private static final byte[] EMPTY = new byte[0];

  /** The columns a {@link #history} row is read from, in order. */
  static final String HISTORY_COLUMNS =
      "revision, key, type, value, create_rev, lease, prev_value, prev_create_rev, prev_mod_rev, prev_lease";

  private SqliteRows() {}

  /** Reads {@code key, value, create_rev, mod_rev, lease} starting at column {@code first}. */
  static KeyValue keyValue(String key, ResultSet rs, int first) throws SQLException {
    return new KeyValue(key, rs.getBytes(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3));
  }

  static WatchEvent history(ResultSet rs) throws SQLException {
    long revision = rs.getLong(1);
    String key = rs.getString(2);
    byte[] prevValue = rs.getBytes(7);
    KeyValue previous = prevValue == null ? null : new KeyValue(key, prevValue, rs.getLong(8), rs.getLong(9), rs.getLong(10));
    if (rs.getInt(3) == DELETE) {
      return new WatchEvent(WatchEvent.Type.DELETE, deleted(key, revision), previous);
    }
    return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, rs.getBytes(4), rs.getLong(5), revision, rs.getLong(6)), previous);
  }

  /** What a delete event carries as its key-value, as etcd does: the key and the revision only. */
  static KeyValue deleted(String key, long revision) {
    return new KeyValue(key, EMPTY, 0, revision, 0);
  }

  /**
   * The exclusive upper bound of the keys starting with {@code prefix}. SQLite compares text as
   * UTF-8 bytes and U+10FFFF is the largest code point, so every key with the prefix sorts below
   * it (except keys continuing with U+10FFFF itself, which nobody writes).
   */
  static String prefixEnd(String prefix) {
    return prefix + "\uDBFF\uDFFF";
  }
}

package io.berth.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Read-only work on connections apart from the writer's: in WAL mode readers see the last
 * commit and never wait for a writer. Idle connections are pooled; a burst opens extra ones.
 */
final class SqliteReaders implements AutoCloseable {
  private static final int IDLE = 4;

  /** A read against one connection. */
  interface Read<T> {
    T run(Reader reader) throws SQLException;
  }

  private final SqliteSchema schema;
  private final ArrayBlockingQueue<Reader> idle = new ArrayBlockingQueue<>(IDLE);
  private volatile boolean closed;

  SqliteReaders(SqliteSchema schema) {
    this.schema = schema;
  }

  <T> T read(Read<T> read) throws SQLException {
    Reader reader = idle.poll();
    if (reader == null) {
      reader = new Reader(schema.open());
    }
    try {
      return read.run(reader);
    } finally {
      if (closed || !idle.offer(reader)) {
        reader.conn.close();
      }
    }
  }

  /** Runs {@code read} in one read transaction, so that all its queries see the same snapshot. */
  <T> T snapshot(Read<T> read) throws SQLException {
    return read(reader -> {
      reader.statement("BEGIN").execute();
      try {
        return read.run(reader);
      } finally {
        reader.statement("COMMIT").execute();
      }
    });
  }

  @Override
  public void close() throws SQLException {
    closed = true;
    for (Reader reader = idle.poll(); reader != null; reader = idle.poll()) {
      reader.conn.close();
    }
  }

  /** One reader connection with its prepared statements. */
  static final class Reader {
    private final Connection conn;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Reader(Connection conn) {
      this.conn = conn;
    }

    PreparedStatement statement(String sql) throws SQLException {
      PreparedStatement st = statements.get(sql);
      if (st == null) {
        st = conn.prepareStatement(sql);
        statements.put(sql, st);
      }
      return st;
    }

    long meta(String name) throws SQLException {
      PreparedStatement st = statement("SELECT value FROM meta WHERE name = ?");
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }

    KeyValue get(String key) throws SQLException {
      PreparedStatement st = statement("SELECT value, create_rev, mod_rev, lease FROM kv WHERE key = ?");
      st.setString(1, key);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? SqliteRows.keyValue(key, rs, 1) : null;
      }
    }

    /** Up to {@code limit} keys with the prefix, plus one more to tell whether there are more. */
    List<KeyValue> range(String prefix, long limit) throws SQLException {
      PreparedStatement st = statement("SELECT key, value, create_rev, mod_rev, lease FROM kv"
          + " WHERE key >= ? AND key < ? ORDER BY key LIMIT ?");
      st.setString(1, prefix);
      st.setString(2, SqliteRows.prefixEnd(prefix));
      st.setLong(3, limit);
      List<KeyValue> items = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          items.add(SqliteRows.keyValue(rs.getString(1), rs, 2));
        }
      }
      return items;
    }

    /** The kept history of keys with the prefix from {@code from} to {@code to}, in revision order. */
    List<WatchEvent> history(String prefix, long from, long to) throws SQLException {
      PreparedStatement st = statement("SELECT " + SqliteRows.HISTORY_COLUMNS + " FROM history"
          + " WHERE revision >= ? AND revision <= ? AND key >= ? AND key < ? ORDER BY revision");
      st.setLong(1, from);
      st.setLong(2, to);
      st.setString(3, prefix);
      st.setString(4, SqliteRows.prefixEnd(prefix));
      List<WatchEvent> events = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          events.add(SqliteRows.history(rs));
        }
      }
      return events;
    }
  }
}

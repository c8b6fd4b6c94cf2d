package io.berth.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to the store's SQLite file and creates its tables.
 *
 * <p>Durability: WAL with {@code synchronous=NORMAL} writes every commit to the WAL file before
 * {@code COMMIT} returns but fsyncs only at checkpoints. A killed process (even SIGKILL) loses no
 * committed write, because the WAL is in the OS page cache; a power loss or kernel crash may lose
 * the last few commits, never corrupt the file. That is the trade k3s's kine makes too.
 */
final class SqliteSchema {
  private static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO meta(name, value) VALUES ('revision', 0), ('compacted', 0)",
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
        + " create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, lease INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS kv_lease ON kv(lease) WHERE lease != 0",
    // One row per revision: what a watch replays. prev_* is the key before the change, if any.
    "CREATE TABLE IF NOT EXISTS history (revision INTEGER PRIMARY KEY, key TEXT NOT NULL,"
        + " type INTEGER NOT NULL, value BLOB, create_rev INTEGER, lease INTEGER, prev_value BLOB,"
        + " prev_create_rev INTEGER, prev_mod_rev INTEGER, prev_lease INTEGER, at_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS leases (id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL,"
        + " expires_at_ms INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS leases_expiry ON leases(expires_at_ms)",
  };

  private final Path file;
  private final String jdbcUrl;

  SqliteSchema(Path file) {
    this.file = file;
    this.jdbcUrl = "jdbc:sqlite:" + file;
  }

  Path file() {
    return file;
  }

  /** Checks the directory before SQLite does, because its own errors do not say what is wrong. */
  static void checkDirectory(Path file) {
    if (!file.isAbsolute()) {
      throw new StoreException("cannot open store at " + file + ": the path must be absolute");
    }
    Path dir = file.getParent();
    if (!Files.isDirectory(dir)) {
      throw new StoreException("cannot open store at " + file + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new StoreException("cannot open store at " + file + ": directory " + dir + " is not writable");
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new StoreException("cannot open store at " + file + ": the file is not writable");
    }
  }

  Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    // Another process holding the write lock makes us wait rather than fail at once.
    config.setBusyTimeout(5_000);
    return DriverManager.getConnection(jdbcUrl, config.toProperties());
  }

  /** Creates the tables if needed and extends every surviving lease. */
  void initialise(Connection writer, long nowMs) throws SQLException {
    try (Statement st = writer.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        for (String sql : DDL) {
          st.execute(sql);
        }
        // Time passed while no manager was running; like etcd after a leader change, give every
        // lease a full TTL again so that its holder gets a chance to renew it.
        st.executeUpdate("UPDATE leases SET expires_at_ms = " + nowMs + " + ttl_ms");
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }
}

package io.berth.store;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQLite store's background loop: reaps expired leases often and compacts history now and then. */
final class SqliteHousekeeper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SqliteHousekeeper.class);

  private final SqliteStateStore store;
  private final SqliteOptions options;
  private final Path file;

  SqliteHousekeeper(SqliteStateStore store, SqliteOptions options, Path file) {
    this.store = store;
    this.options = options;
    this.file = file;
  }

  @Override
  public void run() {
    long nextCompaction = System.nanoTime() + options.compactEvery().toNanos();
    while (!store.isClosed()) {
      try {
        Thread.sleep(options.reapEvery());
        store.reapExpiredLeases();
        if (System.nanoTime() - nextCompaction >= 0) {
          nextCompaction = System.nanoTime() + options.compactEvery().toNanos();
          store.compactHistory();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!store.isClosed()) {
          // Typically SQLITE_BUSY from another process; the next round tries again.
          log.warn("store-housekeeping-failed file={}: {}", file, e.getMessage());
        }
      }
    }
  }
}

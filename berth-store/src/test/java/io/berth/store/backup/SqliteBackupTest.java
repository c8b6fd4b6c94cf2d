package io.berth.store.backup;

import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The backup contract on a SQLite file: one read transaction, one write transaction. */
class SqliteBackupTest extends BackupContract {
  @TempDir Path dir;

  @Override
  protected StateStore openStore() {
    return StateStores.open("sqlite://" + dir.resolve("berth.db"));
  }
}

package io.berth.manager.api;

import io.berth.manager.http.Routes;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.backup.BackupWriter;
import io.berth.store.backup.DataDirFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/backup}: the whole store (and this manager's data-dir files) as one backup file,
 * streamed as it is written. Administrators only: the backup holds the CA's key. The API's guard
 * admits only administrators to any route it does not list as open or users'.
 */
final class BackupApi {
  private static final Logger log = LoggerFactory.getLogger(BackupApi.class);
  private final StateStore store;
  private final Path dataDir;
  private final BackupWriter writer;

  BackupApi(StateStore store, Path dataDir, String berthVersion, Clock clock) {
    this.store = store;
    this.dataDir = dataDir;
    this.writer = new BackupWriter(berthVersion, clock);
  }

  void addRoutes(Routes routes) {
    routes.get("/v1/backup", r -> {
      // Read before the answer starts: a store that fails is a 503 in words, not a 200 cut short.
      Page snapshot = BackupWriter.snapshot(store);
      Map<String, byte[]> files = DataDirFiles.collect(dataDir);
      return new Routes.Stream("application/gzip", out -> {
        BackupWriter.Summary s = writer.write(snapshot, files, out, (keys, bytes) -> {});
        log.info("backup-served keys={} bytes={} revision={}", s.header().keys(), s.bytes(), s.header().revision());
      });
    });
  }
}

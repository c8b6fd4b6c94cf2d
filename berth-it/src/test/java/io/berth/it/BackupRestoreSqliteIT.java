package io.berth.it;

import io.berth.it.OnDockerEndpoint.DockerEndpointCluster;
import java.nio.file.Files;

/** {@link BackupRestoreScenario} on SQLite: the manager's disk is lost, the database file with it. */
@DockerEndpointCluster
class BackupRestoreSqliteIT extends BackupRestoreScenario {
  @Override
  String storeUrl() {
    return "sqlite://" + cluster.dir().resolve("berth.db");
  }

  @Override
  void wipe() throws Exception {
    for (String suffix : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(cluster.dir().resolve("berth.db" + suffix));
  }
}

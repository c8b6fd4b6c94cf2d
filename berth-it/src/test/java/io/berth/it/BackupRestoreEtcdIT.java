package io.berth.it;

/** {@link BackupRestoreScenario} on etcd: every key of Berth's is gone. */
@EtcdCluster
class BackupRestoreEtcdIT extends BackupRestoreScenario {
  @Override
  String storeUrl() {
    return cluster.etcd().url();
  }

  @Override
  void wipe() {
    deleteEverything(storeUrl());
  }
}

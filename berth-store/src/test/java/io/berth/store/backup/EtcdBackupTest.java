package io.berth.store.backup;

import io.berth.store.EtcdForClass;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The backup contract on a real etcd: one-revision reads and batched writes are etcd's own here. */
class EtcdBackupTest extends BackupContract {
  @RegisterExtension static final EtcdForClass etcd = new EtcdForClass();

  @Override
  protected StateStore openStore() {
    return StateStores.open(etcd.url());
  }
}

package io.berth.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key-value and fenced-write cases of the contract on a real etcd, as a unit test: the etcd
 * half of fencing (one transaction with a compare on the fence key's create revision) is checked
 * by every build, not only by {@code EtcdStateStoreIT}.
 */
class EtcdFencedWritesTest extends StateStoreFenceContract {
  private static EtcdProcess etcd;

  @BeforeAll
  static void startEtcd() throws Exception {
    EtcdProcess.assumeInstalled();
    etcd = EtcdProcess.start();
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  protected StateStore openStore() {
    return StateStores.open(etcd.url());
  }

  @Override
  protected void compact(StateStore store, long revision) {
    throw new UnsupportedOperationException("no key-value or fence case compacts");
  }
}

package io.berth.store;

import java.util.List;

/** Placeholder until the etcd store lands. */
final class EtcdStateStore {
  private EtcdStateStore() {}

  static StateStore open(List<String> endpoints) {
    throw new StoreException("etcd store not implemented yet: " + endpoints);
  }
}

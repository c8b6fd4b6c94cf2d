package io.berth.manager.bundle;

import io.berth.cluster.Json;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client bundles the cluster CA signed, by serial: {@code /berth/bundles/{serial}} holds who it
 * is for, who asked, when it expires and whether it was revoked. Never the key: the manager hands
 * that out once and forgets it, so a revoked bundle stays revoked and a lost one is only revoked.
 */
final class BundleStore {
  /** The key prefix of the bundles' records. */
  static final String PREFIX = "/berth/bundles/";
  private static final int MAX = 10_000;
  private final StateStore store;

  BundleStore(StateStore store) {
    this.store = store;
  }

  /** One bundle as stored and as {@code GET /v1/bundles} lists it; {@code revokedAt} null while it is good. */
  record Bundle(String serial, String user, Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  void put(Bundle b) {
    store.put(PREFIX + b.serial(), Json.bytes(b));
  }

  Optional<Bundle> find(String serial) {
    return store.get(PREFIX + serial).map(kv -> Json.read(kv.value(), Bundle.class));
  }

  void delete(String serial) {
    store.delete(PREFIX + serial);
  }

  List<Bundle> list() {
    List<Bundle> out = new ArrayList<>();
    for (KeyValue kv : store.range(PREFIX, MAX).items()) out.add(Json.read(kv.value(), Bundle.class));
    return out;
  }
}

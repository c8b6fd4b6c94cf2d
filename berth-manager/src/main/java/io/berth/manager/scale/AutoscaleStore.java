package io.berth.manager.scale;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.manager.lrp.Versioned;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apps' autoscaling records, beside the app's own record under {@code /berth/apps/{app}/} so that
 * removing the app removes them; every write is a compare-and-put on the revision read.
 */
final class AutoscaleStore {
  static final String SUFFIX = "/autoscale";
  private final StateStore store;

  AutoscaleStore(StateStore store) {
    this.store = store;
  }

  static String key(String app) {
    return Keys.APPS + app + SUFFIX;
  }

  Optional<Versioned<AutoscaleRecord>> get(String app) {
    return store.get(key(app)).map(kv -> new Versioned<>(Json.read(kv.value(), AutoscaleRecord.class), kv.modRevision()));
  }

  /** Every app's record: the apps' keys are few, their versions skipped by name. */
  List<Versioned<AutoscaleRecord>> all() {
    List<Versioned<AutoscaleRecord>> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.APPS, 100_000).items()) {
      String tail = Keys.tail(kv.key(), Keys.APPS);
      if (tail.endsWith(SUFFIX) && tail.indexOf('/') == tail.length() - SUFFIX.length()) {
        out.add(new Versioned<>(Json.read(kv.value(), AutoscaleRecord.class), kv.modRevision()));
      }
    }
    return out;
  }

  /** Writes {@code r} if its key is still at {@code revision} (0: absent); false when someone else changed it. */
  boolean replace(AutoscaleRecord r, long revision) {
    return store.compareAndPut(key(r.app()), Json.bytes(r), revision, StateStore.Lease.NONE).isPresent();
  }

  /** Removes the record; false when there was none. */
  boolean delete(String app) {
    return store.delete(key(app));
  }
}

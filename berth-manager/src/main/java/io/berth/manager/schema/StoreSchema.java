package io.berth.manager.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.BerthVersion;
import io.berth.cluster.Json;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema, checked by every manager before it writes anything: a store marked with a
 * schema newer than this build knows is refused (an older manager must not write old shapes into
 * a store a newer one migrated); an older one is migrated — every record a {@link Migration} names
 * is rewritten in the new form, compare-and-put on its revision — and then marked. A store with no
 * mark is schema 1 (every store from before the mark); a new, empty store is simply marked.
 */
public final class StoreSchema {
  /** Where the mark lives; backed up and restored with everything else. */
  public static final String KEY = "/berth/cluster/schema";
  private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);
  private static final int ATTEMPTS = 5;
  private final StateStore store;
  private final String storeName;
  private final String berth;
  private final int current;
  private final List<Migration> migrations;

  StoreSchema(StateStore store, String storeName, String berth, int current, List<Migration> migrations) {
    this.store = store;
    this.storeName = storeName;
    this.berth = berth;
    this.current = current;
    this.migrations = migrations;
  }

  /** Refuses a store of a newer schema, migrates an older one, and marks it with this build's schema. */
  public static void check(StateStore store, String storeName) {
    new StoreSchema(store, storeName, BerthVersion.running(), Migrations.CURRENT, Migrations.ALL).check();
  }

  void check() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> kv = store.get(KEY);
      int found = kv.map(k -> mark(k).schema()).orElse(1);
      if (found > current) throw newer(mark(kv.get()));
      if (found == current) return;
      int records = migrate(found);
      byte[] mark = Json.bytes(new SchemaMark(current, berth));
      // Compare-and-put: when another manager raised the mark meanwhile, look again.
      if (store.compareAndPut(KEY, mark, kv.map(KeyValue::modRevision).orElse(0L), 0).isPresent()) {
        // A new store is only marked; a store with records migrated is worth a line (a CLI error stays one line).
        if (records > 0) log.info("store-schema-migrated store={} from={} to={} records={}", storeName, found, current, records);
        else log.debug("store-schema-marked store={} schema={}", storeName, current);
        return;
      }
    }
    throw new IllegalStateException("store " + storeName + ": its schema mark " + KEY + " kept changing while this manager migrated it; start it again");
  }

  private SchemaMark mark(KeyValue kv) {
    try {
      SchemaMark m = Json.read(kv.value(), SchemaMark.class);
      if (m.schema() < 1) throw new IllegalArgumentException("schema " + m.schema() + " is not a schema");
      return m;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("store " + storeName + " has a broken schema mark " + KEY + " ('" + kv.text() + "'): " + e.getMessage(), e);
    }
  }

  private IllegalStateException newer(SchemaMark mark) {
    String needed = BerthVersion.parse(mark.berth()).map(v -> v.major() + "." + v.minor()).orElse(mark.berth());
    return new IllegalStateException("store " + storeName + " was migrated by Berth " + mark.berth() + " (store schema "
        + mark.schema() + "); this is Berth " + berth + ", which knows store schemas up to " + current
        + ": run Berth ≥ " + needed);
  }

  /** Rewrites every record a migration from {@code found} on names; returns how many changed. */
  private int migrate(int found) {
    Set<String> prefixes = new LinkedHashSet<>();
    for (Migration m : migrations) if (m.from() >= found && m.from() < current) prefixes.add(m.prefix());
    int changed = 0;
    for (String prefix : prefixes) {
      for (KeyValue kv : store.snapshot(prefix).items()) {
        if (rewrite(kv, found)) changed++;
      }
    }
    return changed;
  }

  private boolean rewrite(KeyValue first, int found) {
    KeyValue kv = first;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<ObjectNode> tree = tree(kv);
      if (tree.isEmpty()) return false;
      String before = tree.get().toString();
      ObjectNode after = Migrations.upgrade(migrations, kv.key(), found, current, tree.get());
      if (after.toString().equals(before)) return false;
      if (store.compareAndPut(kv.key(), Json.bytes(after), kv.modRevision(), kv.lease()).isPresent()) return true;
      Optional<KeyValue> again = store.get(kv.key()); // written meanwhile (a running manager): migrate what is there now
      if (again.isEmpty()) return false;
      kv = again.get();
    }
    throw new IllegalStateException("store " + storeName + ": " + kv.key() + " kept changing while this manager migrated it; start it again");
  }

  /** The record as a JSON object; a value that is not one (a key of another kind under the prefix) is left alone. */
  private Optional<ObjectNode> tree(KeyValue kv) {
    try {
      JsonNode node = Json.MAPPER.readTree(kv.value());
      return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (IOException e) {
      log.warn("store-schema-record-skipped key={}: not JSON ({})", kv.key(), e.getMessage());
      return Optional.empty();
    }
  }
}

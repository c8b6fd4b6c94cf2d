package io.berth.manager.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.manager.TestStore;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StoreSchemaTest {
  /** A node record as managers wrote it before engines could be discovered: no access field. */
  static final String OLD_NODE = "{\"name\":\"n1\",\"id\":\"id1\",\"address\":\"10.0.0.5:12376\",\"state\":\"ready\","
      + "\"engine\":null,\"labels\":{},\"joined_at\":\"2026-01-01T00:00:00Z\",\"changed_at\":\"2026-01-01T00:00:10Z\"}";
  @RegisterExtension final TestStore stores = new TestStore();
  StateStore store;

  @BeforeEach
  void open() {
    store = stores.get();
  }

  static String withAccess(String record, String access) {
    return record.substring(0, record.length() - 1) + ",\"access\":\"" + access + "\"}";
  }

  String text(String key) {
    return new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  StoreSchema schema(String berth, int current, List<Migration> migrations) {
    return new StoreSchema(store, "sqlite://test", berth, current, migrations);
  }

  @Test
  void aNewStoreIsMarkedWithThisBuildsSchema() {
    schema("0.2.0", 2, Migrations.ALL).check();
    assertThat(text(StoreSchema.KEY)).isEqualTo("{\"schema\":2,\"berth\":\"0.2.0\"}");
  }

  @Test
  void aStoreFromBeforeTheMarkHasItsNodeRecordsMigratedAndIsThenMarked() {
    store.put("/berth/nodes/n1", OLD_NODE.getBytes(StandardCharsets.UTF_8));
    store.put("/berth/nodes/n2", withAccess(OLD_NODE.replace("n1", "n2"), "engine").getBytes(StandardCharsets.UTF_8));
    StoreSchema.check(store, "sqlite://test");
    assertThat(text("/berth/nodes/n1")).isEqualTo(withAccess(OLD_NODE, "agent"));
    assertThat(text("/berth/nodes/n2")).endsWith("\"access\":\"engine\"}");
    assertThat(text(StoreSchema.KEY)).startsWith("{\"schema\":" + Migrations.CURRENT + ",");
    long revision = store.revision();
    StoreSchema.check(store, "sqlite://test"); // marked: nothing to do, nothing written
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void migrationsRunInOrderFromTheStoresSchemaOnlyOnTheirKind() {
    List<Migration> steps = List.of(
        new Migration("/berth/apps/", 1, "a", t -> t.put("a", t.path("a").asInt() + 1)),
        new Migration("/berth/apps/", 2, "b", t -> t.put("b", t.path("a").asInt() * 10)),
        new Migration("/berth/users/", 2, "c", t -> t.put("c", true)));
    store.put(StoreSchema.KEY, "{\"schema\":2,\"berth\":\"0.2.0\"}".getBytes(StandardCharsets.UTF_8));
    store.put("/berth/apps/web", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    store.put("/berth/apps/legacy", "not json".getBytes(StandardCharsets.UTF_8));
    store.put("/berth/users/ann", "{}".getBytes(StandardCharsets.UTF_8));
    store.put("/berth/tokens/t1", "{}".getBytes(StandardCharsets.UTF_8));
    schema("0.3.0", 3, steps).check();
    assertThat(text("/berth/apps/web")).isEqualTo("{\"a\":1,\"b\":10}"); // step 1 is the store's past: not run again
    assertThat(text("/berth/apps/legacy")).isEqualTo("not json");
    assertThat(text("/berth/users/ann")).isEqualTo("{\"c\":true}");
    assertThat(text("/berth/tokens/t1")).isEqualTo("{}");
    assertThat(text(StoreSchema.KEY)).isEqualTo("{\"schema\":3,\"berth\":\"0.3.0\"}");
  }

  @Test
  void aStoreANewerBerthMigratedIsRefusedNamingTheVersionNeededWithNothingWritten() {
    store.put(StoreSchema.KEY, "{\"schema\":3,\"berth\":\"0.4.1\"}".getBytes(StandardCharsets.UTF_8));
    store.put("/berth/nodes/n1", OLD_NODE.getBytes(StandardCharsets.UTF_8));
    long revision = store.revision();
    assertThatThrownBy(() -> schema("0.3.2", 2, Migrations.ALL).check())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store sqlite://test was migrated by Berth 0.4.1 (store schema 3); this is Berth 0.3.2,"
            + " which knows store schemas up to 2: run Berth ≥ 0.4");
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void aBrokenMarkIsNamedNotGuessedAt() {
    store.put(StoreSchema.KEY, "two".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> StoreSchema.check(store, "sqlite://test"))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("store sqlite://test has a broken schema mark /berth/cluster/schema ('two')");
  }

  @Test
  void everyMigrationStartsBelowTheCurrentSchemaInOrder() {
    int last = 0;
    for (Migration m : Migrations.ALL) {
      assertThat(m.from()).isGreaterThanOrEqualTo(last).isLessThan(Migrations.CURRENT);
      last = m.from();
    }
  }
}

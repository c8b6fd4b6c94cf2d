package io.berth.manager.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import io.berth.core.node.Node;
import io.berth.manager.TestStore;
import io.berth.store.StateStore;
import io.berth.store.StateStore.Lease;

import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every record stamped with its store schema on the way out, read back as written, migrated when older. */
class RecordSchemaStoreTest {
  @RegisterExtension final TestStore stores = new TestStore();
  StateStore raw;
  RecordSchemaStore store;

  @BeforeEach
  void open() {
    raw = stores.get();
    store = new RecordSchemaStore(raw);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  String rawText(String key) {
    return new String(raw.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  String text(String key) {
    return new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8);
  }

  @Test
  void aRecordIsStoredWithItsSchemaAndReadBackByteForByte() {
    store.put("/berth/apps/a", b("{\"name\":\"a\",\"instances\":2}"));
    store.create("/berth/apps/empty", b("{}"), Lease.NONE);
    store.putAll(Map.of("/berth/apps/b", b("{\"name\":\"b\"}")), n -> {});
    assertThat(rawText("/berth/apps/a")).isEqualTo("{\"name\":\"a\",\"instances\":2,\"schema\":" + Migrations.CURRENT + "}");
    assertThat(rawText("/berth/apps/empty")).isEqualTo("{\"schema\":" + Migrations.CURRENT + "}");
    assertThat(text("/berth/apps/a")).isEqualTo("{\"name\":\"a\",\"instances\":2}");
    assertThat(text("/berth/apps/empty")).isEqualTo("{}");
    assertThat(store.range("/berth/apps/", 0).items()).extracting(kv -> new String(kv.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"name\":\"a\",\"instances\":2}", "{\"name\":\"b\"}", "{}");
    long rev = raw.get("/berth/apps/a").orElseThrow().modRevision();
    assertThat(store.compareAndPut("/berth/apps/a", b("{\"name\":\"a\",\"instances\":3}"), rev, Lease.NONE)).isPresent();
    assertThat(rawText("/berth/apps/a")).endsWith(",\"instances\":3,\"schema\":" + Migrations.CURRENT + "}");
  }

  @Test
  void valuesThatAreNotObjectsAndTheSchemaMarkPassUntouched() {
    store.put("/berth/leader", b("manager-1"));
    store.put("/berth/list", b("[1,2]"));
    store.put(StoreSchema.KEY, b("{\"schema\":2,\"berth\":\"0.1.0\"}"));
    assertThat(rawText("/berth/leader")).isEqualTo("manager-1");
    assertThat(rawText("/berth/list")).isEqualTo("[1,2]");
    assertThat(rawText(StoreSchema.KEY)).isEqualTo("{\"schema\":2,\"berth\":\"0.1.0\"}");
    assertThat(text(StoreSchema.KEY)).isEqualTo("{\"schema\":2,\"berth\":\"0.1.0\"}");
  }

  @Test
  void aRecordInLastVersionsShapeIsMigratedOnReadAndWrittenInTheNewForm() {
    // written unstamped (an older manager, or before the stamps) and stamped with schema 1: both are schema 1's node shape
    raw.put("/berth/nodes/n1", b(StoreSchemaTest.OLD_NODE));
    raw.put("/berth/nodes/n2", b(StoreSchemaTest.OLD_NODE.replace("n1", "n2").replaceFirst("}$", ",\"schema\":1}")));
    for (String n : List.of("n1", "n2")) {
      Node node = Json.read(store.get("/berth/nodes/" + n).orElseThrow().value(), Node.class);
      assertThat(text("/berth/nodes/" + n)).contains("\"access\":\"agent\"").doesNotContain("schema");
      store.put("/berth/nodes/" + n, Json.bytes(node));
      assertThat(rawText("/berth/nodes/" + n)).contains("\"access\":\"agent\"").endsWith(",\"schema\":" + Migrations.CURRENT + "}");
    }
  }

  @Test
  void anUnstampedRecordOfAKindNoMigrationChangesIsReadAsItIsWithoutAParse() {
    byte[] app = b("{\"name\":\"a\",\"labels\":{}}");
    assertThat(store.read("/berth/apps/a", app)).isSameAs(app);
    byte[] node = b(StoreSchemaTest.OLD_NODE);
    assertThat(new String(store.read("/berth/nodes/n1", node), StandardCharsets.UTF_8)).contains("\"access\":\"agent\"");
  }

  @Test
  void aRecordOfANewerSchemaIsReadAsItIsWithoutItsStamp() {
    raw.put("/berth/apps/a", b("{\"name\":\"a\",\"schema\":" + (Migrations.CURRENT + 1) + "}"));
    assertThat(text("/berth/apps/a")).isEqualTo("{\"name\":\"a\"}");
  }

  @Test
  void watchersAndFencedViewsSeeRecordsAsWritten() throws Exception {
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    try (Watch w = store.watch("/berth/apps/", raw.revision() + 1, seen::add)) {
      store.put("/berth/apps/a", b("{\"name\":\"a\"}"));
      store.delete("/berth/apps/a");
      long end = System.nanoTime() + 5_000_000_000L;
      while (seen.size() < 2 && System.nanoTime() < end) Thread.sleep(20);
    }
    assertThat(seen).hasSize(2);
    assertThat(new String(seen.get(0).kv().value(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"a\"}");
  }

  @Test
  void aRawReaderStillReadsAStampedRecord() {
    store.put("/berth/nodes/n1", b(StoreSchemaTest.withAccess(StoreSchemaTest.OLD_NODE, "agent")));
    assertThat(Json.read(raw.get("/berth/nodes/n1").orElseThrow().value(), Node.class).name().value()).isEqualTo("n1");
  }
}

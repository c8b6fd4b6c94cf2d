package io.berth.manager.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.store.Fence;
import io.berth.store.FencedOutException;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteredStateStoreTest {
  @TempDir Path dir;

  @Test
  void aFencedViewIsMeteredAndFencedOutWritesCountAsFailed() {
    try (StateStore raw = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      MeteredStateStore store = new MeteredStateStore(raw);
      store.create("/leader", "me".getBytes(UTF_8), StateStore.Lease.NONE);
      Fence fence = new Fence("/leader", store.get("/leader").orElseThrow().createRevision());
      StateStore fenced = store.fenced(fence);
      assertThat(fenced).isInstanceOf(MeteredStateStore.class);
      double ok = BerthMetrics.STORE_OPERATIONS.value("put", "ok");
      double failed = BerthMetrics.STORE_OPERATIONS.value("put", "failed");

      fenced.put("/a", "1".getBytes(UTF_8));
      raw.delete("/leader");

      assertThatThrownBy(() -> fenced.put("/a", "2".getBytes(UTF_8))).isInstanceOf(FencedOutException.class);
      assertThat(BerthMetrics.STORE_OPERATIONS.value("put", "ok")).isEqualTo(ok + 1);
      assertThat(BerthMetrics.STORE_OPERATIONS.value("put", "failed")).isEqualTo(failed + 1);
      assertThat(store.get("/a").orElseThrow().text()).isEqualTo("1");
      assertThat(store.health().ok()).isTrue();
    }
  }
}

package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default {@link StateStore#fenced} view, on SQLite: writes commit only while the fence key keeps its create revision. */
class FenceCheckingStoreTest {
  @TempDir Path dir;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesCommitWithinTheTermAndAreRefusedOnceTheKeyIsCreatedAgain() {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      store.put("/berth/leader", bytes("m1"));
      Fence term = new Fence("/berth/leader", store.get("/berth/leader").orElseThrow().createRevision());
      StateStore fenced = store.fenced(term);
      fenced.put("/k", bytes("1"));
      assertThat(fenced.compareAndPut("/k", bytes("2"), store.get("/k").orElseThrow().modRevision(), 0)).isPresent();
      store.put("/berth/leader", bytes("m1 again")); // a put keeps the create revision: the same term
      assertThat(fenced.delete("/k")).isTrue();

      store.delete("/berth/leader");
      store.put("/berth/leader", bytes("m2")); // another term
      assertThatThrownBy(() -> fenced.put("/k", bytes("late"))).isInstanceOf(FencedOutException.class)
          .hasMessageContaining("no longer at create revision " + term.createRevision());
      assertThat(store.get("/k")).isEmpty();
      assertThat(fenced.get("/berth/leader").orElseThrow().text()).isEqualTo("m2"); // reads pass through
    }
  }

  @Test
  void aOneMemberStoreIsHealthy() {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      assertThat(store.health()).isEqualTo(new StoreHealth(true, 1, 1, "1 of 1 members answer"));
    }
  }
}

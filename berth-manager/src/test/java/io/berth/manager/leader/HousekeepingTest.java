package io.berth.manager.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.loop.Gate;
import io.berth.core.Keys;
import io.berth.store.FencedOutException;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HousekeepingTest {
  @TempDir Path dir;
  @AutoClose StateStore store;

  @BeforeEach
  void open() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
  }

  void fill(String prefix, int n) {
    for (int i = 0; i < n; i++) store.put(prefix + String.format("%016d-%06d", i, i), "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void trimsBothLogsToWhatTheyKeepOldestFirst() {
    fill(Keys.EVENTS, 15);
    fill(Keys.AUDIT, 23);
    Housekeeping h = new Housekeeping(Singletons.always(store), Duration.ofHours(1), 10, 20);
    assertThat(h.pass()).isEqualTo(8);
    assertThat(store.range(Keys.EVENTS, 0).items()).hasSize(10)
        .first().extracting(kv -> kv.key()).isEqualTo(Keys.EVENTS + String.format("%016d-%06d", 5, 5));
    assertThat(store.range(Keys.AUDIT, 0).items()).hasSize(20);
    assertThat(h.pass()).isZero();
  }

  @Test
  void aManagerThatDoesNotLeadTrimsNothing() {
    fill(Keys.EVENTS, 11);
    try (Leadership follower = Leadership.elect(store, "m2", Duration.ofSeconds(2))) { // never started: does not lead
      Housekeeping h = new Housekeeping(new Singletons(Gate.OPEN, new LeaderStore(store, follower)), Duration.ofHours(1), 10, 10);
      assertThatThrownBy(h::pass).isInstanceOf(FencedOutException.class).hasMessageContaining("m2 does not lead");
    }
    assertThat(store.range(Keys.EVENTS, 0).items()).hasSize(11);
  }
}

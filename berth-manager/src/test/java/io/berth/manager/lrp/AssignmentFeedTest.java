package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.Assignments;
import io.berth.core.Keys;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long poll agents read their work from. */
class AssignmentFeedTest {
  @TempDir Path dir;
  StateStore raw;
  LrpStore store;
  AssignmentFeed feed;

  @BeforeEach
  void start() {
    raw = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    raw.put("/berth/other", new byte[0]); // the store's revision is past 0
    store = new LrpStore(raw);
    feed = new AssignmentFeed(store);
    feed.start();
  }

  @AfterEach
  void stop() {
    feed.close();
    raw.close();
  }

  static Assignment work(String guid) {
    return new Assignment(Assignment.LRP, guid, "web", 0, "apps", "berth/busybox:1", List.of(), 0, 0, 0, false, null, null, null, null,
        0, List.of(), null, null, null);
  }

  @Test
  void answersAtOnceFirstThenOnlyWhenTheNodesWorkChanges() throws Exception {
    Assignments first = feed.poll(NodeName.of("n1"), 0, Duration.ofSeconds(5));
    assertThat(first.assignments()).isEmpty();
    long t0 = System.nanoTime();
    Assignments quiet = feed.poll(NodeName.of("n1"), first.revision(), Duration.ofMillis(300));
    assertThat((System.nanoTime() - t0) / 1_000_000).as("nothing changed: it waits the whole time").isGreaterThanOrEqualTo(250);
    assertThat(quiet.assignments()).isEmpty();

    CompletableFuture<Assignments> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return feed.poll(NodeName.of("n1"), quiet.revision(), Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100);
    store.assign(NodeName.of("n2"), work("other-node")); // another node's change does not wake n1
    Thread.sleep(100);
    assertThat(waiting).isNotDone();
    store.assign(NodeName.of("n1"), work("g1"));
    Assignments changed = waiting.get(5, TimeUnit.SECONDS);
    assertThat(changed.assignments()).extracting(Assignment::instanceGuid).containsExactly("g1");
    assertThat(feed.assigned()).containsExactlyInAnyOrder(InstanceGuid.of("g1"), InstanceGuid.of("other-node"));
    raw.delete(Keys.assignment("n1", "g1"));
    assertThat(feed.poll(NodeName.of("n1"), changed.revision(), Duration.ofSeconds(5)).assignments()).isEmpty();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !feed.assigned().contains(InstanceGuid.of("g1")));
    assertThat(Json.bytes(changed)).isNotEmpty();
  }

}

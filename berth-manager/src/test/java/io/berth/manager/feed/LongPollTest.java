package io.berth.manager.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long poll that gathers: a burst of writes to one group is one answer. */
class LongPollTest {
  @TempDir Path dir;

  @Test
  void aBurstOfWritesToOneGroupIsOneAnswer() throws Exception {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      store.put("/other", new byte[0]);
      try (LongPoll feed = new LongPoll(store, "/assign/", e -> {}, Duration.ofMillis(80))) {
        long start = feed.start(100).revision();
        CompletableFuture<Page> waiting = poll(feed, store, start);
        Thread.sleep(100);
        for (int i = 0; i < 5; i++) { // a pass's claims, one write each, a few milliseconds apart
          store.put("/assign/n1/g" + i, new byte[0]);
          Thread.sleep(3);
        }
        assertThat(waiting.get(5, TimeUnit.SECONDS).items()).as("the whole burst in the one answer").hasSize(5);
      }
    }
  }

  private static CompletableFuture<Page> poll(LongPoll feed, StateStore store, long after) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return feed.poll("n1", after, Duration.ofSeconds(10), () -> store.range("/assign/n1/", 100));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}

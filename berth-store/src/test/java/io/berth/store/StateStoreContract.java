package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} must show, run against each implementation by a
 * subclass ({@code SqliteStateStoreTest}, {@code EtcdStateStoreTest}) and shipped in the test-jar
 * for other modules' stores. Leases and watches are here; reads, writes, fenced writes and batches of conditional writes are inherited.
 */
@SuppressWarnings("try") // watches are opened for their side effect and closed by try
public abstract class StateStoreContract extends StateStoreBatchContract {
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration SOON = Duration.ofSeconds(5);

  /** Collects a watch's events and the thread that delivered them. */
  protected static final class Recorder implements Consumer<WatchEvent> {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    volatile Thread thread;

    @Override
    public void accept(WatchEvent event) {
      thread = Thread.currentThread();
      events.add(event);
    }

    List<String> summary() {
      return events.stream()
          .map(e -> e.type() + " " + e.kv().key() + (e.type() == WatchEvent.Type.PUT ? "=" + e.kv().text() : ""))
          .toList();
    }

    void awaitSize(int n) {
      await().atMost(SOON).until(() -> events.size() >= n);
    }
  }

  @Test
  void leaseExpiryDeletesItsKeysAndEmitsDelete() {
    long lease = store.grantLease(TTL);
    assertThat(lease).isNotZero();
    store.put(p + "leased", bytes("1"), lease);
    store.put(p + "kept", bytes("2"));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, 0, recorder)) {
      await().atMost(expiryBound(TTL)).until(() -> store.get(p + "leased").isEmpty());

      recorder.awaitSize(1);
      WatchEvent event = recorder.events.getFirst();
      assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(event.kv().key()).isEqualTo(p + "leased");
      assertThat(event.previous().text()).isEqualTo("1");
      assertThat(store.get(p + "kept")).isPresent();
      assertThat(store.keepAlive(lease)).isFalse();
    }
  }

  @Test
  void keepAliveExtendsTheLease() {
    long lease = store.grantLease(TTL);
    store.put(p + "a", bytes("1"), lease);
    long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
    while (System.nanoTime() < until) {
      assertThat(store.keepAlive(lease)).isTrue();
      await().pollDelay(Duration.ofMillis(250)).until(() -> true);
    }
    assertThat(store.get(p + "a")).as("key outlived its TTL while kept alive").isPresent();

    await().atMost(expiryBound(TTL)).until(() -> store.get(p + "a").isEmpty());
  }

  @Test
  void revokeDeletesTheLeasesKeysAtOnce() {
    long lease = store.grantLease(Duration.ofSeconds(30));
    store.put(p + "a", bytes("1"), lease);
    store.put(p + "b", bytes("2"), lease);
    store.put(p + "c", bytes("3"));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, 0, recorder)) {
      store.revoke(lease);

      assertThat(store.get(p + "a")).isEmpty();
      assertThat(store.get(p + "b")).isEmpty();
      assertThat(store.get(p + "c")).isPresent();
      assertThat(store.keepAlive(lease)).isFalse();
      recorder.awaitSize(2);
      assertThat(recorder.summary()).containsExactlyInAnyOrder("DELETE " + p + "a", "DELETE " + p + "b");
    }
  }

  @Test
  void keepAliveOfAnUnknownLeaseIsFalse() {
    assertThat(store.keepAlive(4242424242L)).isFalse();
  }

  @Test
  void putOnAnUnknownLeaseFails() {
    assertThatThrownBy(() -> store.put(p + "a", bytes("1"), 4242424242L))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("lease");
    assertThat(store.get(p + "a")).isEmpty();
  }

  @Test
  void watchReplaysHistoryFromARevisionThenGoesLive() {
    store.put(p + "a", bytes("0"));
    long from = store.put(p + "a", bytes("1"));
    store.put(p + "b", bytes("2"));
    store.delete(p + "a");
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, from, recorder)) {
      recorder.awaitSize(3);
      store.put(p + "c", bytes("3"));
      recorder.awaitSize(4);

      assertThat(recorder.summary())
          .containsExactly("PUT " + p + "a=1", "PUT " + p + "b=2", "DELETE " + p + "a", "PUT " + p + "c=3");
      assertThat(recorder.events.getFirst().revision()).isEqualTo(from);
      assertThat(recorder.events).extracting(WatchEvent::revision).isSorted();
    }
  }

  @Test
  void watchFromZeroSeesOnlyNewChanges() {
    store.put(p + "old", bytes("1"));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, 0, recorder)) {
      store.put(p + "new", bytes("2"));
      recorder.awaitSize(1);
      // Delivery is in order, so an event for "old" would have come first.
      assertThat(recorder.summary()).containsExactly("PUT " + p + "new=2");
    }
  }

  @Test
  void watchOfAPrefixIgnoresOtherKeys() {
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p + "in/", 0, recorder)) {
      store.put(p + "out/x", bytes("1"));
      store.put(p + "in/y", bytes("2"));
      store.put(p + "inx", bytes("3"));
      store.put(p + "in/z", bytes("4"));
      recorder.awaitSize(2);
      assertThat(recorder.summary()).containsExactly("PUT " + p + "in/y=2", "PUT " + p + "in/z=4");
    }
  }

  @Test
  void watchCarriesThePreviousValue() {
    long created = store.put(p + "a", bytes("1"));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, 0, recorder)) {
      long updated = store.put(p + "a", bytes("2"));
      store.delete(p + "a");
      recorder.awaitSize(2);

      WatchEvent put = recorder.events.get(0);
      assertThat(put.kv().createRevision()).isEqualTo(created);
      assertThat(put.previous().text()).isEqualTo("1");
      WatchEvent delete = recorder.events.get(1);
      assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(delete.revision()).isGreaterThan(updated);
      assertThat(delete.previous().text()).isEqualTo("2");
      assertThat(delete.previous().modRevision()).isEqualTo(updated);
    }
  }

  @Test
  void watchFromACompactedRevisionThrows() {
    long r1 = store.put(p + "a", bytes("1"));
    store.put(p + "a", bytes("2"));
    long r3 = store.put(p + "a", bytes("3"));
    compact(store, r3);

    assertThatThrownBy(() -> store.watch(p, r1, e -> {}))
        .isInstanceOf(CompactedException.class)
        .hasMessageContaining("compacted");
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, r3, recorder)) {
      recorder.awaitSize(1);
      assertThat(recorder.summary()).containsExactly("PUT " + p + "a=3");
    }
  }

  @Test
  void closingAWatchStopsDelivery() {
    Recorder closed = new Recorder();
    Recorder open = new Recorder();
    try (Watch w = store.watch(p, 0, open)) {
      Watch watch = store.watch(p, 0, closed);
      store.put(p + "a", bytes("1"));
      closed.awaitSize(1);
      watch.close();
      store.put(p + "b", bytes("2"));
      open.awaitSize(2);
      await().during(Duration.ofMillis(300)).atMost(SOON).until(() -> closed.events.size() == 1);
    }
  }

  @Test
  void closingTheStoreStopsItsWatches() {
    StateStore other = openStore();
    Recorder recorder = new Recorder();
    other.watch(p, 0, recorder);
    store.put(p + "a", bytes("1"));
    other.put(p + "b", bytes("2"));
    await().atMost(SOON).until(() -> recorder.summary().contains("PUT " + p + "b=2"));
    Thread delivery = recorder.thread;

    other.close();
    other.close(); // closing twice is harmless

    await().atMost(SOON).until(() -> !delivery.isAlive());
  }

  @Test
  void watchHasNoGapNorDuplicateBetweenReplayAndLive() throws Exception {
    int n = 400;
    long[] revisions = new long[n];
    AtomicInteger written = new AtomicInteger();
    Thread writer = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < n; i++) {
        revisions[i] = store.put(p + String.format("k%04d", i), bytes(Integer.toString(i)));
        written.set(i + 1);
      }
    });
    await().atMost(SOON).until(() -> written.get() >= 100);
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, revisions[50], recorder)) {
      writer.join();
      recorder.awaitSize(n - 50);
      List<String> keys = recorder.events.stream().map(e -> e.kv().key()).toList();
      List<String> expected = IntStream.range(50, n).mapToObj(i -> p + String.format("k%04d", i)).toList();
      assertThat(keys).containsExactlyElementsOf(expected);
    }
  }
}

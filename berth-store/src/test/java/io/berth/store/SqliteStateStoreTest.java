package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try")
class SqliteStateStoreTest extends StateStoreContract {
  private static final SqliteOptions FAST =
      new SqliteOptions(Duration.ofMillis(100), Duration.ofMillis(100), 10_000, Duration.ofHours(1));

  @TempDir Path dir;

  @Override
  protected StateStore openStore() {
    return SqliteStateStore.open(dir.resolve("berth.db"), FAST);
  }

  @Override
  protected void compact(StateStore store, long revision) {
    ((SqliteStateStore) store).compact(revision);
  }

  @Test
  void aFenceOnAnExpiredLeaseHoldsNoMoreBeforeTheReaperDeletesItsKey() {
    SqliteOptions noReaper = new SqliteOptions(Duration.ofHours(1), Duration.ofHours(1), 10_000, Duration.ofHours(1));
    try (StateStore lazy = SqliteStateStore.open(dir.resolve("lazy.db"), noReaper)) {
      long lease = lazy.grantLease(Duration.ofMillis(100));
      lazy.create("/leader", bytes("me"), lease);
      Fence fence = new Fence("/leader", lazy.get("/leader").orElseThrow().createRevision());
      lazy.fenced(fence).put("/a", bytes("while leading"));
      Awaitility.await().pollDelay(Duration.ofMillis(200)).until(() -> true);

      assertThat(lazy.get("/leader")).as("not reaped yet").isPresent();
      assertThatThrownBy(() -> lazy.fenced(fence).put("/a", bytes("after"))).isInstanceOf(FencedOutException.class);
      assertThat(lazy.get("/a").orElseThrow().text()).isEqualTo("while leading");
    }
  }

  @Test
  void aOneMemberStoreIsHealthyWhileItCanReadAndSaysWhyNot() {
    assertThat(store.health()).isEqualTo(new StoreHealth(true, 1, 1, "1 of 1 members answer"));
    store.close();

    StoreHealth closed = store.health();
    assertThat(closed.ok()).isFalse();
    assertThat(closed.message()).startsWith("store has no quorum: 0 of 1 members answer (").contains("is closed");
  }

  @Test
  void reopeningKeepsDataRevisionAndLeases() {
    long lease = store.grantLease(Duration.ofMinutes(1));
    store.put(p + "a", bytes("1"), lease);
    long rev = store.put(p + "b", bytes("2"));
    store.close();

    store = openStore();
    assertThat(store.revision()).isEqualTo(rev);
    assertThat(store.get(p + "a").orElseThrow().lease()).isEqualTo(lease);
    assertThat(store.keepAlive(lease)).isTrue();
    assertThat(store.put(p + "c", bytes("3"))).isEqualTo(rev + 1);
  }

  @Test
  void compactionBoundsTheHistory() {
    store.close();
    store = SqliteStateStore.open(dir.resolve("berth.db"),
        new SqliteOptions(Duration.ofMillis(100), Duration.ofMillis(100), 50, Duration.ofHours(1)));
    long first = store.put(p + "k", bytes("0"));
    long last = first;
    for (int i = 1; i < 200; i++) {
      last = store.put(p + "k", bytes(Integer.toString(i)));
    }
    long newestKept = last;
    // Keeps 50 revisions and compacts every 100 ms.
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> store.watch(p, newestKept - 60, e -> {})).isInstanceOf(CompactedException.class));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, last - 49, recorder)) {
      recorder.awaitSize(50);
      assertThat(recorder.events.getFirst().revision()).isEqualTo(last - 49);
    }
  }

  @Test
  void compactionDropsHistoryOlderThanItsAgeButKeepsTheCurrentRevision() {
    store.close();
    store = SqliteStateStore.open(dir.resolve("berth.db"),
        new SqliteOptions(Duration.ofMillis(100), Duration.ofMillis(100), 10_000, Duration.ofMillis(1)));
    long r1 = store.put(p + "a", bytes("1"));
    long r2 = store.put(p + "a", bytes("2"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> store.watch(p, r1, e -> {})).isInstanceOf(CompactedException.class));
    Recorder recorder = new Recorder();
    try (Watch w = store.watch(p, r2, recorder)) {
      recorder.awaitSize(1);
      assertThat(recorder.events.getFirst().revision()).isEqualTo(r2);
    }
  }

  @Test
  void twoHandlesOnOneFileNeverReuseARevision() throws Exception {
    Set<Long> revisions = ConcurrentHashMap.newKeySet();
    try (StateStore other = openStore()) {
      Thread a = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 300; i++) {
          revisions.add(store.put(p + "a" + i, bytes("a")));
        }
      });
      for (int i = 0; i < 300; i++) {
        revisions.add(other.put(p + "b" + i, bytes("b")));
      }
      a.join();
    }
    assertThat(revisions).hasSize(600);
    assertThat(store.range(p, 0).items()).hasSize(600);
    assertThat(store.revision()).isEqualTo(revisions.stream().mapToLong(Long::longValue).max().orElseThrow());
  }

  @Test
  void missingDirectoryIsAClearError() {
    Path file = dir.resolve("nope/berth.db");
    assertThatThrownBy(() -> SqliteStateStore.open(file, FAST))
        .isInstanceOf(StoreException.class)
        .hasMessage("cannot open store at " + file + ": directory " + file.getParent() + " does not exist");
  }

  @Test
  void unwritableDirectoryIsAClearError() throws Exception {
    Path ro = dir.resolve("ro");
    Files.createDirectory(ro);
    ro.toFile().setWritable(false);
    Assumptions.assumeFalse(Files.isWritable(ro), "running as root");
    assertThatThrownBy(() -> SqliteStateStore.open(ro.resolve("berth.db"), FAST))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is not writable");
  }

  @Test
  void aFileThatIsNotADatabaseIsAClearError() throws Exception {
    Path file = dir.resolve("junk.db");
    Files.writeString(file, "this is not sqlite, just some text long enough to be read as a header...");
    assertThatThrownBy(() -> SqliteStateStore.open(file, FAST))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open store at " + file + ":");
  }
}

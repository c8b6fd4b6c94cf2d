package io.berth.manager.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerRecordsTest {
  static final Duration TTL = Duration.ofSeconds(2);
  static final Instant SINCE = Instant.parse("2026-12-06T08:00:00Z");
  @TempDir Path dir;
  StateStore store;

  @BeforeEach
  void open() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static ManagerRecord record(String name, String docker) {
    return new ManagerRecord(name, "http://" + name + ":8080", name + ":2377", docker, SINCE, "dev");
  }

  @Test
  void aSecondManagerOfOneNameIsRefusedWhileTheFirstLives() throws Exception {
    try (ManagerRecords first = new ManagerRecords(store, TTL).claim(record("m1", null))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> new ManagerRecords(store, TTL).claim(record("m1", null)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("another manager named 'm1' is running (API http://m1:8080): give this one another --name");
      // It waited one TTL for a dead previous life's record to go; the first kept it alive all along.
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(TTL);
      assertThat(first.list()).extracting(ManagerRecord::name).containsExactly("m1");
    }
  }

  @Test
  void aKilledPreviousLifesRecordIsWaitedOut() throws Exception {
    // A record on a lease nobody renews: the manager of that name was killed a moment ago.
    store.create(Keys.manager("m1"), Json.bytes(record("m1", null)), store.grantLease(Duration.ofSeconds(1)));
    try (ManagerRecords again = new ManagerRecords(store, TTL).claim(record("m1", "m1:2375"))) {
      assertThat(again.list()).singleElement().extracting(ManagerRecord::docker).isEqualTo("m1:2375");
    }
  }

  /** A note kept in memory, as the data dir's file is. */
  static final class Noted implements LeaseNote {
    volatile OptionalLong lease = OptionalLong.empty();

    @Override
    public OptionalLong read() {
      return lease;
    }

    @Override
    public void write(long l) {
      lease = OptionalLong.of(l);
    }
  }

  @Test
  void aKilledPreviousLifeThatTheNoteNamesIsEndedAtOnceWithItsLeadership() throws Exception {
    // Killed a moment ago: its record and its leader key on leases nobody renews, for a long TTL still.
    Noted note = new Noted();
    long recordLease = store.grantLease(Duration.ofSeconds(30));
    store.create(Keys.manager("m1"), Json.bytes(record("m1", null)), recordLease);
    note.write(recordLease);
    store.create(Keys.LEADER, "m1".getBytes(StandardCharsets.UTF_8), store.grantLease(Duration.ofSeconds(30)));
    long t0 = System.nanoTime();
    try (ManagerRecords again = new ManagerRecords(store, TTL).remembering(note).claim(record("m1", "m1:2375"))) {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(again.list()).singleElement().extracting(ManagerRecord::docker).isEqualTo("m1:2375");
      assertThat(store.get(Keys.LEADER)).as("the leader key it held").isEmpty();
      assertThat(note.read()).hasValue(store.get(Keys.manager("m1")).orElseThrow().lease());
    }
  }

  @Test
  void aRecordOnAnotherLeaseThanTheNotesIsWaitedOutAndAnotherLeaderKept() throws Exception {
    Noted note = new Noted();
    note.write(store.grantLease(Duration.ofSeconds(30))); // this data dir's last life, long gone from the record
    try (ManagerRecords first = new ManagerRecords(store, TTL).claim(record("m1", null))) {
      store.create(Keys.LEADER, "m1".getBytes(StandardCharsets.UTF_8), store.grantLease(Duration.ofSeconds(30)));
      assertThatThrownBy(() -> new ManagerRecords(store, TTL).remembering(note).claim(record("m1", null)))
          .hasMessageStartingWith("another manager named 'm1' is running");
      assertThat(first.list()).extracting(ManagerRecord::name).containsExactly("m1");
      assertThat(store.get(Keys.LEADER)).isPresent();
    }
  }

  @Test
  void theOneManagerOfAnEmbeddedStoreTakesItsNameAtOnce() {
    store.create(Keys.manager("m1"), Json.bytes(record("m1", null)), store.grantLease(Duration.ofSeconds(30)));
    long t0 = System.nanoTime();
    try (ManagerRecords alone = new ManagerRecords(store, TTL).claimAlone(record("m1", "m1:2375"))) {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(alone.list()).singleElement().extracting(ManagerRecord::docker).isEqualTo("m1:2375");
    }
  }

  @Test
  void aClosedManagersRecordGoesAtOnce() throws Exception {
    ManagerRecords first = new ManagerRecords(store, TTL).claim(record("m1", null));
    first.close();
    assertThat(store.get(Keys.manager("m1"))).isEmpty();
  }

  @Test
  void theViewMarksTheLeaderInTheDocumentedFieldOrder() throws Exception {
    try (ManagerRecords a = new ManagerRecords(store, TTL).claim(record("m1", null));
         ManagerRecords b = new ManagerRecords(store, TTL).claim(record("m2", "m2:2375"))) {
      List<Map<String, Object>> view = a.view(Optional.of("m2"));
      assertThat(view).hasSize(2);
      assertThat(view.get(0).keySet()).containsExactly("name", "api", "cluster", "docker", "leader", "since", "version");
      assertThat(view.get(0)).containsEntry("name", "m1").containsEntry("leader", false).containsEntry("docker", null)
          .containsEntry("since", "2026-12-06T08:00:00Z");
      assertThat(view.get(1)).containsEntry("name", "m2").containsEntry("leader", true).containsEntry("docker", "m2:2375")
          .containsEntry("api", "http://m2:8080").containsEntry("cluster", "m2:2377");
      b.update(record("m2", "m2:2376"));
      assertThat(a.view(Optional.empty()).get(1)).containsEntry("docker", "m2:2376").containsEntry("leader", false);
    }
  }
}

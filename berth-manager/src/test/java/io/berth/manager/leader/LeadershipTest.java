package io.berth.manager.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.Keys;
import io.berth.store.Fence;
import io.berth.store.FencedOutException;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two managers' elections on one real etcd, with the shortest TTL allowed (2 s). */
class LeadershipTest {
  static final Duration TTL = Duration.ofSeconds(2);
  @RegisterExtension static final OneEtcd etcd = new OneEtcd();

  StateStore store() {
    return etcd.store();
  }

  Leadership elect(StateStore store, String name) {
    return etcd.closeAfter(Leadership.elect(store, name, TTL)).start();
  }

  @Test
  void twoManagersElectExactlyOne() {
    Leadership a = elect(store(), "m1");
    Leadership b = elect(store(), "m2");
    assertThat(a.isLeader()).isTrue(); // the first to campaign on an empty key wins at once
    assertThat(b.isLeader()).isFalse();
    await().atMost(Duration.ofSeconds(2)).until(() -> b.leader().orElse("").equals("m1"));
    assertThat(a.leader()).contains("m1");
    assertThat(b.term()).isEmpty();
  }

  @Test
  void aKilledLeadersSuccessorLeadsWithinTtlPlusOneSecond() {
    Leadership a = elect(store(), "m1");
    Leadership b = elect(store(), "m2");
    List<String> deposed = new ArrayList<>();
    a.onDeposed(deposed::add);
    a.stopKeepAlives(); // SIGKILL: no revoke, the lease runs out
    long t0 = System.nanoTime();
    await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(20)).until(b::isLeader);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThanOrEqualTo(TTL.plusSeconds(1));
    assertThat(a.isLeader()).isFalse();
    assertThat(deposed).singleElement().asString().startsWith("no keep-alive");
  }

  @Test
  void aDeposedLeadersFencedWritesThrowAndItsLoopsStopPassing() {
    StateStore storeA = store();
    Leadership a = elect(storeA, "m1");
    Singletons singletons = Singletons.of(storeA, a);
    Fence oldTerm = a.term().orElseThrow();
    singletons.store().put("/berth/test/fenced", bytes("by m1"));
    AtomicInteger passes = new AtomicInteger();
    ReconcileLoop loop = ReconcileLoop.named("test").every(Duration.ofMillis(20)).gate(singletons.gate()).build(passes::incrementAndGet);
    loop.start();
    etcd.closeAfter(loop::stop);
    await().atMost(Duration.ofSeconds(2)).until(() -> passes.get() > 2);

    a.stopKeepAlives();
    Leadership b = elect(store(), "m2");
    await().atMost(TTL.plusSeconds(2)).until(b::isLeader);
    int after = passes.get();
    assertThatThrownBy(() -> singletons.store().put("/berth/test/fenced", bytes("late"))).isInstanceOf(FencedOutException.class);
    // Even a write made with the old term in hand is refused: the key now has the new term's create revision.
    assertThatThrownBy(() -> storeA.fenced(oldTerm).put("/berth/test/fenced", bytes("stale"))).isInstanceOf(FencedOutException.class);
    assertThat(storeA.get("/berth/test/fenced").orElseThrow().text()).isEqualTo("by m1");
    // Nor can the singletons' store be fenced again to get round its check on the term.
    assertThatThrownBy(() -> singletons.store().fenced(oldTerm)).isInstanceOf(UnsupportedOperationException.class);
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> passes.get() == after);
  }

  @Test
  void aClosedLeaderHandsOverAtOnce() throws Exception {
    Leadership a = elect(store(), "m1");
    Leadership b = elect(store(), "m2");
    List<Fence> elected = new ArrayList<>();
    b.onElected(elected::add);
    a.close(); // revokes its lease: the key goes now, not at the TTL
    await().atMost(Duration.ofSeconds(1)).until(b::isLeader);
    assertThat(elected).singleElement().extracting(Fence::key).isEqualTo(Keys.LEADER);
    assertThat(b.leader()).contains("m2");
  }

  @Test
  void hooksRunBeforeTheGateOpens() {
    StateStore s = store();
    Leadership a = etcd.closeAfter(Leadership.elect(s, "m1", TTL));
    List<Boolean> leaderDuringHook = new ArrayList<>();
    a.beforeLeading(() -> leaderDuringHook.add(a.isLeader()));
    a.start();
    assertThat(leaderDuringHook).containsExactly(false);
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void theOneManagerOfAnEmbeddedStoreAlwaysLeads(@TempDir Path dir) {
    StateStore sqlite = etcd.closeAfter(StateStores.open("sqlite://" + dir.resolve("berth.db")));
    Leadership sole = etcd.closeAfter(Leadership.sole(sqlite, "solo"));
    sole.start();
    assertThat(sole.isLeader()).isTrue();
    assertThat(sole.leader()).contains("solo");
    Singletons.of(sqlite, sole).store().put("/berth/test/x", bytes("ok")); // fenced on its term, and the term holds
    assertThat(sqlite.get("/berth/test/x")).isPresent();
  }

  @Test
  void leaderTtlOutsideTwoToSixtySecondsIsRefused() {
    assertThatThrownBy(() -> Leadership.checkTtl(Duration.ofMillis(1500)))
        .hasMessage("--leader-ttl must be from 2s to 60s, got 1500 ms");
    assertThatThrownBy(() -> Leadership.checkTtl(Duration.ofSeconds(61))).hasMessageContaining("from 2s to 60s");
    assertThat(Leadership.checkTtl(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    assertThat(Leadership.checkTtl(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

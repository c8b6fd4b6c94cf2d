package io.berth.manager.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Registration;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.event.Event;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.MovingClock;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.berth.store.WatchEvent;
import io.berth.store.WriteRoutingStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRegistryTest {
  static final EngineFacts ENGINE = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);
  @TempDir Path dir;
  StateStore store;
  Activity activity;
  NodeRegistry nodes;

  @BeforeEach
  void start() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    activity = new Activity(store, Clock.systemUTC());
    nodes = new NodeRegistry(store, activity, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(300));
    nodes.start();
  }

  @AfterEach
  void stop() {
    nodes.close();
    store.close();
  }

  @Test
  void aRegisteredNodeIsReadyWithItsFactsAndLabels() {
    var hb = nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of("disk", "ssd")));
    assertThat(hb.state()).isEqualTo("ready");
    assertThat(hb.intervalMillis()).isEqualTo(300);
    var n = nodes.find(NodeName.of("n1")).orElseThrow();
    assertThat(n.state()).isEqualTo(NodeState.READY);
    assertThat(n.labels()).containsEntry("disk", "ssd");
    assertThat(n.engine().cpus()).isEqualTo(2);
    assertThat(activity.recent(10)).extracting(Event::type).containsExactly("node-joined");
  }

  @Test
  void aNodeWithoutHeartbeatsGoesDownAndComesBackWhenItBeatsAgain() {
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(4)).until(() -> nodes.find(NodeName.of("n1")).orElseThrow().state() == NodeState.DOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    // The record turns down first and the event is written after it: the event may trail by a moment.
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(activity.recent(10)).extracting(Event::type).containsExactly("node-joined", "node-down"));

    nodes.heartbeat(NodeName.of("n1"));
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
    assertThat(nodes.isLive(NodeName.of("n1"))).isTrue();
    // Announced once, by the heartbeat or by the reconcile loop that saw the new lease first.
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(activity.recent(10)).extracting(Event::type).containsExactly("node-joined", "node-down", "node-ready"));
  }

  @Test
  void heartbeatsKeepANodeReadyPastItsTtl() throws InterruptedException {
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    for (int i = 0; i < 8; i++) {
      Thread.sleep(250);
      nodes.heartbeat(NodeName.of("n1"));
    }
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
  }

  @Test
  void aHeartbeatFromAnUnknownNodeAsksItToRegister() {
    assertThatThrownBy(() -> nodes.heartbeat(NodeName.of("ghost"))).isInstanceOf(BerthException.NotFound.class).hasMessageContaining("not registered");
  }

  @Test
  void aStrayHealthKeyThatNamesNoNodeIsPassedOver() {
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    store.put(Keys.health("-stray"), new byte[0]); // no node may be named so
    nodes.reconcile();
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
  }

  @Test
  void aRecordLeftReadyByACrashedManagerIsMarkedDownAtStart() {
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    nodes.close();
    store.delete(Keys.health("n1")); // as if the lease expired while no manager ran
    nodes = new NodeRegistry(store, activity, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(300));
    nodes.start();
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.DOWN);
  }

  @Test
  void aFollowerJudgesNothingAndANewLeaderGivesReadyNodesAFreshLeaseFirst() {
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    nodes.close();
    AtomicBoolean leads = new AtomicBoolean();
    nodes = new NodeRegistry(store, activity, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(300))
        .judgeAs(new Singletons(leads::get, store));
    nodes.start();
    // No heartbeats: the lease runs out (its manager died), but a manager that does not lead judges nothing.
    await().atMost(Duration.ofSeconds(4)).until(() -> !nodes.isLive(NodeName.of("n1")));
    nodes.signal();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
        .until(() -> nodes.find(NodeName.of("n1")).orElseThrow().state() == NodeState.READY);

    nodes.refreshLeases(); // taking leadership: the node gets a whole TTL to heartbeat through any manager
    leads.set(true);
    nodes.signal();
    assertThat(nodes.isLive(NodeName.of("n1"))).isTrue();
    nodes.reconcile();
    assertThat(nodes.find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
    // The fresh lease is a real one: with no heartbeat the node is down one TTL later.
    await().atMost(Duration.ofSeconds(4)).until(() -> nodes.find(NodeName.of("n1")).orElseThrow().state() == NodeState.DOWN);
  }

  @Test
  void aHealthKeyChangeJudgesThatNodeAtOnceAndTheRestOnlyInTheNextWholePass() {
    MovingClock clock = aReadyRecordWithoutHealthKeyLeftForTheNextWholePass();
    clock.advance(Duration.ofSeconds(NodeRegistry.RECONCILE_SECONDS));
    nodes.register(NodeName.of("n3"), "id3", new Registration("127.0.0.13:12376", ENGINE, Map.of())); // a change: a pass, now a whole one
    await().atMost(Duration.ofSeconds(2)).until(() -> nodes.find(NodeName.of("n2")).orElseThrow().state() == NodeState.DOWN);
    assertThat(nodes.find(NodeName.of("n3")).orElseThrow().state()).isEqualTo(NodeState.READY);
  }

  @Test
  void aClockSetBackBringsAWholePass() {
    MovingClock clock = aReadyRecordWithoutHealthKeyLeftForTheNextWholePass();
    clock.advance(Duration.ofSeconds(-60));
    nodes.register(NodeName.of("n3"), "id3", new Registration("127.0.0.13:12376", ENGINE, Map.of()));
    await().atMost(Duration.ofSeconds(2)).until(() -> nodes.find(NodeName.of("n2")).orElseThrow().state() == NodeState.DOWN);
  }

  /**
   * A new leader's lease refresh and a heartbeat through another manager race for one node whose
   * lease ran out: both find no health key and take a lease. The key must end on the lease the
   * heartbeats renew; before, the later put won, and the node went down a TTL later while beating.
   */
  @Test
  void aLeaseRefreshRacingAHeartbeatLeavesTheKeyOnTheLeaseTheHeartbeatsRenew() throws Exception {
    nodes.close();
    nodes = new NodeRegistry(store, activity, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(300))
        .judgeAs(new Singletons(() -> false, store)); // the follower the agent beats through
    nodes.start();
    NodeName n1 = NodeName.of("n1");
    nodes.register(n1, "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    store.revoke(Long.parseLong(store.get(Keys.health("n1")).orElseThrow().text())); // its lease ran out
    assertThat(nodes.isLive(n1)).isFalse();

    HoldingFirstHealthWrite held = new HoldingFirstHealthWrite(store);
    NodeRegistry leader = new NodeRegistry(held, activity, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(300));
    Thread refresh = Thread.ofVirtual().start(leader::refreshLeases);
    assertThat(held.holding.await(5, TimeUnit.SECONDS)).as("the refresh reached its write").isTrue();
    nodes.heartbeat(n1); // finds no key either, and writes first
    held.release.countDown();
    refresh.join(5_000);
    assertThat(refresh.isAlive()).isFalse();

    // A health key deleted is a node the leader marks down: none may be while the node beats.
    AtomicInteger deleted = new AtomicInteger();
    try (var w = store.watch(Keys.HEALTH, store.revision() + 1, e -> {
      if (e.type() == WatchEvent.Type.DELETE) deleted.incrementAndGet();
    })) {
      long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos(); // 2.5 TTLs
      while (System.nanoTime() < end) {
        nodes.heartbeat(n1);
        Thread.sleep(250);
      }
    }
    assertThat(deleted.get()).as("health keys expired while the node beat").isZero();
    assertThat(nodes.isLive(n1)).isTrue();
  }

  /** Holds the first write of a health key until released, as a slow leader's write that lands last. */
  static final class HoldingFirstHealthWrite extends WriteRoutingStore {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);

    HoldingFirstHealthWrite(StateStore store) {
      super(store);
    }

    @Override
    protected StateStore writes() {
      return store;
    }

    private void hold(String key) {
      if (!key.startsWith(Keys.HEALTH) || !first.compareAndSet(true, false)) return;
      holding.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public long put(String key, byte[] value, long lease) {
      hold(key);
      return store.put(key, value, lease);
    }

    @Override
    public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
      hold(key);
      return store.compareAndPut(key, value, expectedModRevision, lease);
    }
  }

  /** n1 down at once by its health key's change; n2 ready in the store with no health key, judged by no pass of changes. */
  private MovingClock aReadyRecordWithoutHealthKeyLeftForTheNextWholePass() {
    nodes.close();
    MovingClock clock = new MovingClock(Instant.parse("2026-12-07T00:00:00Z"));
    nodes = new NodeRegistry(store, activity, clock, Duration.ofSeconds(30), Duration.ofSeconds(10));
    nodes.start();
    nodes.register(NodeName.of("n1"), "id1", new Registration("127.0.0.11:12376", ENGINE, Map.of()));
    Node n1 = nodes.find(NodeName.of("n1")).orElseThrow();
    // The start's whole pass first: one that ran after n2 is written would judge it down before the test begins.
    await().atMost(Duration.ofSeconds(5)).until(() -> !nodes.lastWholePass().equals(Instant.MIN));
    store.put(Keys.node("n2"), Json.bytes(new Node(NodeName.of("n2"), "id2", "127.0.0.12:12376", NodeState.READY, n1.engine(),
        Map.of(), n1.joinedAt(), n1.changedAt(), n1.access(), n1.version())));
    store.delete(Keys.health("n1"));
    await().atMost(Duration.ofSeconds(2)).until(() -> nodes.find(NodeName.of("n1")).orElseThrow().state() == NodeState.DOWN);
    assertThat(store.get(Keys.node("n2")).map(kv -> Json.read(kv.value(), Node.class).state())).contains(NodeState.READY);
    return clock;
  }
}

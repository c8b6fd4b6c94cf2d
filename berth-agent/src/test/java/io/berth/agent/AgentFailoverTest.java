package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.core.id.NodeName;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.BusyboxImage;
import io.berth.engine.ContainerSpec;
import io.berth.engine.FakeEngine;
import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two managers in one JVM over one store, and an agent that knows both: when its manager dies (the
 * port closed) or hangs (a relay that passes nothing: its pulse falls silent), its first heartbeat
 * through the other comes within 2 s, and its assignments poll resumes there from the revision it had.
 */
class AgentFailoverTest {
  private static final Duration MOVE_BUDGET = Duration.ofSeconds(2);
  @TempDir Path dir;
  StateStore store;
  Manager a;
  Manager b;
  Relay relay;

  @BeforeEach
  void start() throws IOException {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    a = manager("a", Duration.ofSeconds(3));
    b = manager("b", Duration.ofSeconds(3));
    relay = new Relay(a.clusterPort());
  }

  private Manager manager(String name, Duration heartbeat) {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    return Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager-" + name), "sqlite://", Duration.ofSeconds(10), heartbeat,
        Strategy.SPREAD, Scheduler.FILTERS, null, null).withLeadership(name, Duration.ofSeconds(5)), store, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    relay.close();
    a.close();
    b.close();
    store.close();
  }

  private Agent agent(String managers) {
    return Agent.start(config(managers, a.secrets().joinToken().toString()), new FakeEngine(), Clock.systemUTC());
  }

  private AgentConfig config(String managers, String token) {
    InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", 0);
    return new AgentConfig(managers, token, proxy, proxy, "tcp://127.0.0.1:1", "n1", Map.of(), dir.resolve("agent"));
  }

  private static String at(Manager m) {
    return "127.0.0.1:" + m.clusterPort();
  }

  /** Waits for the first beat through {@code to} after {@code since}; returns how long after. */
  private static Duration awaitBeat(Agent agent, String to, long since) {
    Heartbeats.Beat beat = await().atMost(Duration.ofSeconds(6)).until(agent::lastBeat, x -> x != null && x.manager().equals(to) && x.nanos() > since);
    Duration took = Duration.ofNanos(beat.nanos() - since);
    System.out.println("agent-move-time ms=" + took.toMillis());
    return took;
  }

  @Test
  void anAgentMovesToAnotherManagerWithin2sWhenItsManagerDies() {
    try (Agent agent = agent(at(a) + "," + at(b))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> agent.lastPoll() != null && agent.lastPoll().after() > 0);
      long t0 = System.nanoTime();
      a.close();
      assertThat(awaitBeat(agent, at(b), t0)).isLessThan(MOVE_BUDGET);
      assertThat(agent.currentManager()).isEqualTo(at(b));
      assertThat(agent.state()).isEqualTo("registered");
      assertThat(b.nodes().find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
    }
  }

  @Test
  void aManagerThatHangsIsLeftWithin2sAndTheLongPollResumesFromItsRevision() {
    String viaRelay = "127.0.0.1:" + relay.port();
    try (Agent agent = agent(viaRelay + "," + at(b))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> agent.knownManagers().contains(at(a))); // the answer named it
      WorkLoop.Asked held = await().atMost(Duration.ofSeconds(5)).until(agent::lastPoll, p -> p != null && p.after() > 0);
      assertThat(held.manager()).isEqualTo(viaRelay); // now held by the manager for up to 25 s
      long t0 = System.nanoTime();
      relay.freeze();
      // the pulse falls silent: 1.2 s of it, the jitter and one beat, well before the next beat (3 s apart) would tell
      Duration took = awaitBeat(agent, at(b), t0);
      Heartbeats.Beat before = agent.lastBeat();
      assertThat(took).isLessThan(MOVE_BUDGET);
      WorkLoop.Asked resumed = await().atMost(MOVE_BUDGET).until(agent::lastPoll, p -> p.manager().equals(at(b)));
      assertThat(resumed.after()).isGreaterThanOrEqualTo(held.after());
      assertThat(before.manager()).isEqualTo(at(b));
    }
  }

  @Test
  void everyKnownManagerGetsEachMetricsBatchSoAnyManagerShowsTheWholeCluster() {
    FakeEngine engine = new FakeEngine();
    engine.addImage(BusyboxImage.REFERENCE);
    String id = engine.create(ContainerSpec.of(BusyboxImage.REFERENCE, "sleep", "60"));
    engine.start(id);
    AgentConfig config = config(at(a) + "," + at(b), a.secrets().joinToken().toString()).withMetrics(Duration.ofSeconds(1), null, false);
    try (Agent agent = Agent.start(config, engine, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(8)).until(() -> a.metrics().history().find(id).isPresent() && b.metrics().history().find(id).isPresent());
      assertThat(b.metrics().history().find(id).orElseThrow().node()).isEqualTo("n1");
    }
  }

  @Test
  void managersOfAnotherClusterAreRefusedWithThePinsWordsAtJoinAndAtRestart() throws IOException {
    try (StateStore otherStore = StateStores.open("sqlite://" + dir.resolve("other.db"))) {
      InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      Manager other = Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager-other"), "sqlite://", Duration.ofSeconds(10),
          Duration.ofSeconds(3), Strategy.SPREAD, Scheduler.FILTERS, null, null), otherStore, Clock.systemUTC());
      try (other) {
        String words = "manager " + at(other) + " is not of this cluster: its certificate is not signed by the pinned CA";
        assertThatThrownBy(() -> agent(at(other))).hasMessage(words);
        agent(at(a)).close();
        assertThatThrownBy(() -> Agent.start(config(at(other), null), new FakeEngine(), Clock.systemUTC())).hasMessage(words);
      }
    }
  }

  @Test
  void aMalformedManagerListIsRefusedNamingTheEntry() {
    assertThatThrownBy(() -> agent(at(a) + ",https://b:2377")).hasMessageContaining("'https://b:2377'");
    assertThatThrownBy(() -> agent(at(a) + ",b")).hasMessageContaining("'b'");
    assertThatThrownBy(() -> agent(at(a) + ",,")).hasMessageContaining("empty entry");
  }
}

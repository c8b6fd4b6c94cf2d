package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.Identity;
import io.berth.cluster.JoinToken;
import io.berth.cluster.Role;
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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent and a manager in one JVM, on the SQLite store and the fake engine. */
class AgentTest {
  @TempDir Path dir;
  StateStore store;
  Manager manager;
  ServerSocket echoEngine;

  @BeforeEach
  void start() throws IOException {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    manager = Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager"), "sqlite://", Duration.ofSeconds(1), Duration.ofMillis(200),
        Strategy.SPREAD, Scheduler.FILTERS, null, null), store, Clock.systemUTC());
    echoEngine = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    manager.close();
    store.close();
    echoEngine.close();
  }

  AgentConfig config(String name, String token) {
    InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", 0);
    return new AgentConfig("127.0.0.1:" + manager.clusterPort(), token, proxy, proxy,
        "tcp://127.0.0.1:" + echoEngine.getLocalPort(), name, Map.of("disk", "ssd"), dir.resolve("agent-" + name));
  }

  String token() {
    return manager.secrets().joinToken().toString();
  }

  @Test
  void anAgentSendsItsContainersMetricsToTheManagerOverTheClusterEndpoint() throws Exception {
    FakeEngine engine = new FakeEngine();
    engine.addImage(BusyboxImage.REFERENCE);
    String id = engine.create(ContainerSpec.of(BusyboxImage.REFERENCE, "sleep", "60"));
    engine.start(id);
    try (Agent agent = Agent.start(config("n1", token()).withMetrics(Duration.ofSeconds(1), null, false), engine, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(8)).until(() -> manager.metrics().history().find(id).isPresent()
          && manager.metrics().history().node("n1", 0, System.currentTimeMillis()).map(n -> n.containers() == 1).orElse(false));
      assertThat(manager.metrics().history().find(id).orElseThrow().node()).isEqualTo("n1");
      assertThat(agent.metricsPort()).isEqualTo(-1);
    }
  }

  @Test
  void anAgentJoinsRegistersItsNodeAndKeepsItReady() throws InterruptedException {
    try (Agent agent = Agent.start(config("n1", token()), new FakeEngine(), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> manager.nodes().find(NodeName.of("n1")).isPresent());
      var node = manager.nodes().find(NodeName.of("n1")).orElseThrow();
      assertThat(node.state()).isEqualTo(NodeState.READY);
      assertThat(node.labels()).containsEntry("disk", "ssd");
      Thread.sleep(1500); // past the 1 s TTL: heartbeats keep it ready
      assertThat(manager.nodes().find(NodeName.of("n1")).orElseThrow().state()).isEqualTo(NodeState.READY);
      assertThat(agent.state()).isEqualTo("registered");
    }
  }

  @Test
  void anAgentCallsTheClusterEndpointOnKeptAliveConnections() {
    try (Agent agent = Agent.start(config("n1", token()), new FakeEngine(), Clock.systemUTC())) {
      await().atMost(Duration.ofMinutes(2)).until(() -> manager.clusterServer().requests() >= 40);
      // heartbeats every 200 ms, the pulse, assignment polls, reports: a connection per call would have opened 40
      assertThat(manager.clusterServer().accepted()).isLessThan(10);
    }
  }

  @Test
  void aStoppedAgentsNodeGoesDownAndItComesBackWithoutTheToken() {
    Agent first = Agent.start(config("n1", token()), new FakeEngine(), Clock.systemUTC());
    await().atMost(Duration.ofSeconds(5)).until(() -> manager.nodes().isLive(NodeName.of("n1")));
    first.close();
    await().atMost(Duration.ofSeconds(4)).until(() -> manager.nodes().find(NodeName.of("n1")).orElseThrow().state() == NodeState.DOWN);

    try (Agent again = Agent.start(config("n1", null), new FakeEngine(), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> manager.nodes().find(NodeName.of("n1")).orElseThrow().state() == NodeState.READY);
    }
  }

  @Test
  void aWrongTokenOrATakenNameStopsTheJoinWithAClearMessage() {
    String wrong = token().substring(0, token().length() - 1) + (token().endsWith("a") ? "b" : "a");
    assertThatThrownBy(() -> Agent.start(config("n1", wrong), new FakeEngine(), Clock.systemUTC()))
        .hasMessageContaining("refused").hasMessageContaining("wrong join token");
    try (Agent a = Agent.start(config("n1", token()), new FakeEngine(), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> manager.nodes().isLive(NodeName.of("n1")));
      AgentConfig clash = new AgentConfig(config("n1", token()).manager(), token(), new InetSocketAddress("127.0.0.1", 0),
          new InetSocketAddress("127.0.0.1", 0), config("n1", null).engineUrl(), "n1", Map.of(), dir.resolve("other"));
      assertThatThrownBy(() -> Agent.start(clash, new FakeEngine(), Clock.systemUTC())).hasMessageContaining("in use by a ready node");
    }
  }

  @Test
  void aJoinThatReachesNoManagerTriesAgainForAWhileThenSaysWhy() throws IOException {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Agent.join(List.of("127.0.0.1:" + dead), JoinToken.parse(token()), "n9", "127.0.0.1", Duration.ofMillis(1500)))
        .hasMessageContaining("cannot reach the manager at 127.0.0.1:" + dead).hasMessageContaining("times over");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aJoinWaitsForAManagerThatIsNotListeningYet() throws Exception {
    // berth dev starts its agent right after its manager; on a busy machine the manager's first answer can come late.
    int port = manager.clusterPort();
    String token = token();
    manager.close();
    CompletableFuture<Identity> joined = CompletableFuture.supplyAsync(
        () -> Agent.join(List.of("127.0.0.1:" + port), JoinToken.parse(token), "late", "127.0.0.1", Duration.ofSeconds(20)));
    Thread.sleep(1000);
    assertThat(joined).isNotDone();
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    manager = Manager.start(new ManagerConfig(any, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, dir.resolve("manager"),
        "sqlite://", Duration.ofSeconds(1), Duration.ofMillis(200), Strategy.SPREAD, Scheduler.FILTERS, null, null), store, Clock.systemUTC());
    assertThat(joined.get(30, TimeUnit.SECONDS).name()).isEqualTo("late");
  }

  @Test
  void theEngineProxyRelaysBothWaysWithHalfCloseForManagersOnly() throws Exception {
    Thread.ofVirtual().start(() -> {
      try (Socket s = echoEngine.accept()) {
        byte[] all = s.getInputStream().readAllBytes(); // ends only when the manager half-closes
        s.getOutputStream().write(("got " + new String(all, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        s.shutdownOutput();
      } catch (IOException ignored) {
        // the test fails on its own side
      }
    });
    try (Agent agent = Agent.start(config("n1", token()), new FakeEngine(), Clock.systemUTC())) {
      Identity asManager = manager.identity();
      try (SSLSocket s = connect(asManager, agent.proxyPort())) {
        s.getOutputStream().write("hi".getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        s.shutdownOutput();
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got hi");
      }
      Identity aNode = manager.secrets().ca().newIdentity("n9", Role.NODE, Duration.ofDays(1), Clock.systemUTC().instant());
      try (SSLSocket s = connect(aNode, agent.proxyPort())) {
        s.getOutputStream().write("GET /version HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        InputStream in = s.getInputStream();
        assertThat(in.read()).isEqualTo(-1); // closed without relaying anything
      } catch (IOException refused) {
        // a reset is just as good an answer
      }
    }
  }

  private static SSLSocket connect(Identity who, int port) throws IOException {
    SSLSocket s = (SSLSocket) who.sslContext().getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.setSoTimeout(5000);
    return s;
  }
}

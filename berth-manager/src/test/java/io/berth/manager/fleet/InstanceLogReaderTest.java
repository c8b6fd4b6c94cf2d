package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.Registration;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.NodeAccess;
import io.berth.engine.ContainerSpec;
import io.berth.engine.FakeDockerServer;
import io.berth.engine.FakeEngine;
import io.berth.manager.activity.Activity;
import io.berth.manager.fleet.InstanceLogs.Target;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** App instances' logs read from two hollow engines through the fleet, as the manager reads them. */
class InstanceLogReaderTest {
  static final EngineFacts FACTS = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);
  @TempDir Path dir;
  StateStore store;
  NodeRegistry nodes;
  Fleet fleet;
  final List<AutoCloseable> servers = new ArrayList<>();
  FakeEngine node16;
  FakeEngine node17;
  InstanceLogs logs;

  @BeforeEach
  void start() throws Exception {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    nodes.start();
    node16 = engine("node16");
    node17 = engine("node17");
    fleet = Fleet.start(nodes, null, null);
    logs = fleet.instanceLogs();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    for (AutoCloseable s : servers) s.close();
    nodes.close();
    store.close();
  }

  @Test
  void eachTargetsLinesComeWithItsPrefixAndAnUnfollowedReadReturns() throws Exception {
    String a = instance(node16, "g-a", "one", "two", "three");
    String b = instance(node17, "g-b", "uno");
    node17.log(b, true, "dos on stderr");
    List<String> lines = read(List.of(new Target("v2/0", "node16", "g-a"), new Target("v2/1", "node17", "g-b")), false, -1);
    assertThat(lines).filteredOn(l -> l.startsWith("[v2/0] ")).containsExactly("[v2/0] one", "[v2/0] two", "[v2/0] three");
    assertThat(lines).filteredOn(l -> l.startsWith("[v2/1] ")).containsExactly("[v2/1] uno", "[v2/1] dos on stderr");
    assertThat(lines).hasSize(5);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void tailKeepsTheLastLinesOfEachTarget() throws Exception {
    instance(node16, "g-a", "one", "two", "three");
    instance(node17, "g-b", "uno", "dos");
    assertThat(read(List.of(new Target("v2/0", "node16", "g-a"), new Target("v2/1", "node17", "g-b")), false, 1))
        .containsExactlyInAnyOrder("[v2/0] three", "[v2/1] dos");
    assertThat(read(List.of(new Target("v2/0", "node16", "g-a")), false, 0)).isEmpty();
  }

  @Test
  void aTargetWithoutNodeOrContainerGetsOneLineAndTheOthersGoOn() throws Exception {
    instance(node16, "g-a", "one");
    List<String> lines = read(List.of(new Target("v2/0", "node99", "g-x"), new Target("v2/1", "node16", "g-missing"),
        new Target("v2/2", "node16", "g-a"), new Target("v2/3", null, "g-unplaced")), false, -1);
    assertThat(lines).containsExactlyInAnyOrder("[v2/0] (no container for instance g-x on node99 yet)",
        "[v2/1] (no container for instance g-missing on node16 yet)", "[v2/2] one", "[v2/3] (instance g-unplaced is on no node yet)");
  }

  @Test
  void anEngineThatFailsGetsOneLineSayingWhy() throws Exception {
    instance(node16, "g-a", "one");
    instance(node17, "g-b", "uno");
    node17.reachable(false);
    List<String> lines = read(List.of(new Target("v2/0", "node16", "g-a"), new Target("v2/1", "node17", "g-b")), false, -1);
    assertThat(lines).hasSize(2).contains("[v2/0] one");
    assertThat(lines).filteredOn(l -> l.startsWith("[v2/1] ")).singleElement().asString()
        .startsWith("[v2/1] (").contains("node17").contains("503").endsWith(")");
  }

  @Test
  void aFollowSeesNewLinesLosesEndedContainersAndStopsWhenTheClientGoes() throws Exception {
    String a = instance(node16, "g-a", "one");
    String b = instance(node17, "g-b", "uno");
    instance(node17, "g-silent"); // running and silent: only closing its upstream ends its reader
    Client client = new Client();
    CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
      try {
        logs.stream(List.of(new Target("v2/0", "node16", "g-a"), new Target("v2/1", "node17", "g-b"),
            new Target("v2/2", "node17", "g-silent")), true, 10, client);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, r -> Thread.ofVirtual().start(r));
    await().atMost(Duration.ofSeconds(10)).until(() -> client.lines().containsAll(List.of("[v2/0] one", "[v2/1] uno")));
    node16.log(a, false, "two");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.lines().contains("[v2/0] two"));
    node17.exit(b, 0); // its log ends; the others go on
    node16.log(a, false, "three");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.lines().contains("[v2/0] three"));
    assertThat(following).isNotDone();
    client.broken = true;
    node16.log(a, false, "four");
    assertThat(catchFailure(following)).as("the client's failed write").isInstanceOf(UncheckedIOException.class);
    assertThat(client.lines()).doesNotContain("[v2/0] four").hasSize(4);
  }

  /** Waits for a stream to end and answers what it ended with. */
  private static Throwable catchFailure(CompletableFuture<Void> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private List<String> read(List<Target> targets, boolean follow, int tail) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    logs.stream(targets, follow, tail, out);
    String all = out.toString(StandardCharsets.UTF_8);
    return all.isEmpty() ? List.of() : List.of(all.split("\n"));
  }

  /** A started container labelled as an agent labels an LRP instance's, with these lines on stdout. */
  private static String instance(FakeEngine engine, String guid, String... lines) {
    String id = engine.create(new ContainerSpec(null, "berth/busybox:1", List.of("sleep", "9"), List.of(),
        Map.of("io.berth.instance-guid", guid, "io.berth.process-guid", "p-1", "io.berth.index", "0"), 0, 0, Map.of(), ""));
    engine.start(id);
    for (String l : lines) engine.log(id, false, l);
    return id;
  }

  private FakeEngine engine(String name) throws IOException {
    FakeEngine engine = FakeEngine.builder().name(name).build();
    engine.addImage("berth/busybox:1");
    FakeDockerServer.Listener server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), engine);
    servers.add(server);
    nodes.register(NodeName.of(name), name + "-id", new Registration("127.0.0.1:" + server.port(), FACTS, Map.of()), NodeAccess.ENGINE);
    return engine;
  }

  /** A client's connection: the lines it received, and a switch that makes every later write fail as if it had gone. */
  static final class Client extends OutputStream {
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();
    volatile boolean broken;

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (broken) throw new IOException("Broken pipe");
      got.write(b, off, len);
    }

    synchronized List<String> lines() {
      String all = got.toString(StandardCharsets.UTF_8);
      return all.isEmpty() ? List.of() : List.of(all.split("\n"));
    }
  }
}

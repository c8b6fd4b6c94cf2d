package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.engine.ContainerSpec;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.store.EtcdProcess;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A three-node Berth on this machine, all real: three dockerds, etcd, the berth jar as manager and
 * as three agents, and the docker CLI. Steps run in order on one cluster, as an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final Duration TTL = Duration.ofSeconds(4);
  static LocalEngines engines;
  static EtcdProcess etcd;
  static Path dir;
  static BerthProcess manager;
  static final List<BerthProcess> agents = new ArrayList<>(List.of());
  static ManagerApi api;
  static int apiPort;
  static int clusterPort;
  static int dockerPort;

  @BeforeAll
  static void startCluster() throws Exception {
    engines = LocalEngines.builder().nodes(3).firstNode(4).start(); // nodes 1-3 belong to the engine module's ITs
    etcd = EtcdProcess.start();
    dir = Files.createTempDirectory("berth-cluster-it");
    apiPort = Ports.free();
    clusterPort = Ports.free();
    dockerPort = Ports.free();
    manager = startManager();
    manager.awaitLine("berth manager is running", Duration.ofSeconds(30));
    api = new ManagerApi("http://127.0.0.1:" + apiPort, dir.resolve("manager"));
    BerthProcess.Result token = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", dir.resolve("manager").toString());
    assertThat(token.exit()).as(token.err()).isZero();
    for (LocalEngine e : engines.engines()) agents.add(startAgent(e, token.out().trim()));
  }

  static BerthProcess startManager() throws IOException {
    return BerthProcess.start("manager", dir, "manage", "--store", etcd.url(), "--data", dir.resolve("manager").toString(),
        "--api-addr", "127.0.0.1:" + apiPort, "--cluster-addr", "127.0.0.1:" + clusterPort,
        "--docker-addr", "127.0.0.1:" + dockerPort, // not the default 2375: a berth dev on this machine may hold it
        "--node-ttl", TTL.toSeconds() + "s", "--heartbeat", "1s");
  }

  static BerthProcess startAgent(LocalEngine e, String token) throws IOException {
    List<String> args = new ArrayList<>(List.of("join", "--manager", "127.0.0.1:" + clusterPort,
        "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(),
        "--data", dir.resolve("agent-" + e.name()).toString(), "--label", "rack=r" + e.number()));
    if (token != null) args.addAll(List.of("--token", token));
    return BerthProcess.start("agent-" + e.name(), dir, args.toArray(String[]::new));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (BerthProcess a : agents) a.close();
    if (manager != null) manager.close();
    if (etcd != null) etcd.close();
    if (engines != null) engines.close();
  }

  @Test
  @Order(1)
  void threeNodesJoinAndAreReadyWithTheirFactsAndLabels() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    LocalEngine first = engines.engines().get(0);
    JsonNode n1 = api.get("/v1/nodes/" + first.name());
    assertThat(n1.path("address").asText()).isEqualTo(first.address() + ":12376");
    assertThat(n1.path("labels").path("rack").asText()).isEqualTo("r" + first.number());
    assertThat(n1.path("labels").path("node").asText()).as("engine label").isEqualTo(first.name());
    assertThat(n1.path("engine").path("engine_version").asText()).startsWith("20.10");
    assertThat(n1.path("engine").path("cpus").asInt()).isPositive();
    assertThat(api.get("/v1/cells")).hasSize(3);

    BerthProcess.Result table = BerthProcess.run(Duration.ofSeconds(30), "nodes", "--data", dir.resolve("manager").toString());
    List<String> addresses = engines.engines().stream().map(e -> e.address() + ":12376").toList();
    assertThat(table.out()).contains("NAME", "ready", addresses.get(1));
    for (LocalEngine e : engines.engines()) assertThat(table.out()).contains(e.name());
    BerthProcess.Result list = BerthProcess.run(Duration.ofSeconds(30), "list", etcd.url());
    assertThat(list.out().lines().toList()).containsExactlyElementsOf(addresses);
  }

  @Test
  @Order(2)
  void theDockerCliReachesANodesEngineThroughItsAgentOnlyWithAManagerCertificate() throws Exception {
    Path asManager = identity("it-manager", Role.MANAGER);
    Path asNode = identity("it-node", Role.NODE);
    String first = "tcp://" + engines.engines().get(0).address() + ":12376";
    String second = "tcp://" + engines.engines().get(1).address() + ":12376";
    DockerCli.Result version = DockerCli.run(first, tls(asManager), null, "version", "--format", "{{.Server.Version}}");
    assertThat(version.out().trim()).as(version.err()).startsWith("20.10");
    // A hijacked stream with half-close: cat ends only when stdin's EOF crosses the proxy.
    DockerCli.Result cat = DockerCli.run(second, tls(asManager), "hello through berth\n",
        "run", "--rm", "-i", "--network", "none", "berth/busybox:1", "cat");
    assertThat(cat.exit()).as(cat.err()).isZero();
    assertThat(cat.out()).isEqualTo("hello through berth\n");
    DockerCli.Result refused = DockerCli.run(first, tls(asNode), null, "version", "--format", "{{.Server.Version}}");
    assertThat(refused.exit()).isNotZero();
  }

  @Test
  @Order(3)
  void aKilledAgentsNodeGoesDownWithinTheTtlItsContainersRunOnAndItComesBack() throws Exception {
    LocalEngine node2 = engines.engines().get(1);
    String name2 = node2.name();
    String id = node2.engine().create(new ContainerSpec("survivor", "berth/busybox:1", List.of("sleep", "600"),
        List.of(), java.util.Map.of(), 0, 0, java.util.Map.of(), ""));
    node2.engine().start(id);
    agents.get(1).kill();
    long t0 = System.nanoTime();
    await().atMost(TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> api.nodeState(name2).equals("down"));
    System.out.printf("berth-it: " + name2 + " down %.2f s after SIGKILL of its agent (TTL %d s)%n", (System.nanoTime() - t0) / 1e9, TTL.toSeconds());
    assertThat(api.nodeState(engines.engines().get(0).name())).isEqualTo("ready");
    assertThat(node2.engine().inspect(id).orElseThrow().running()).as("containers outlive their agent").isTrue();
    JsonNode events = api.get("/v1/activity");
    assertThat(events.toString()).contains("node-down", "node/" + name2);

    agents.set(1, startAgent(node2, null)); // the certificate in its data dir is enough now
    await().atMost(Duration.ofSeconds(20)).until(() -> api.nodeState(name2).equals("ready"));
    node2.engine().remove(id, true);
  }

  @Test
  @Order(4)
  void aManagerKilledWithSigkillRestartsWithEveryNodeAndTheAgentsCarryOn() throws Exception {
    String name1 = engines.engines().get(0).name();
    Instant joined = Instant.parse(api.get("/v1/nodes/" + name1).path("joined_at").asText());
    manager.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> agents.get(0).output().contains("manager-unreachable"));
    manager = startManager();
    manager.awaitLine("berth manager is running", Duration.ofSeconds(30));
    assertThat(manager.output()).contains("'berth join-token' prints the token");
    await().atMost(Duration.ofSeconds(20)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    assertThat(Instant.parse(api.get("/v1/nodes/" + name1).path("joined_at").asText())).isEqualTo(joined);
    for (BerthProcess a : agents) assertThat(a.isAlive()).isTrue();
  }

  /** The docker CLI's flags to present a cluster identity and check the agent against the cluster CA. */
  static List<String> tls(Path certs) {
    return List.of("--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("cert.pem").toString(),
        "--tlskey", certs.resolve("key.pem").toString());
  }

  /** Writes a cluster identity for the docker CLI (ca.pem, cert.pem, key.pem), signed by the CA in etcd. */
  static Path identity(String name, Role role) throws IOException {
    Path out = dir.resolve("certs-" + name);
    try (StateStore store = StateStores.open(etcd.url())) {
      Identity id = ClusterSecrets.loadOrCreate(store, Instant.now()).ca().newIdentity(name, role, Duration.ofHours(1), Instant.now());
      id.save(out);
    }
    return out;
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Identity;
import io.berth.cluster.Role;
import io.berth.engine.ContainerSpec;
import io.berth.engine.LocalEngine;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A three-node Berth on this machine, all real: three dockerds, etcd, the berth jar as manager and
 * as three agents (the {@link EtcdCluster} it shares), and the docker CLI. Steps run in order on
 * one cluster, as an operator would.
 */
@EtcdCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final Duration TTL = Duration.ofSeconds(4);
  static Cluster cluster;
  static Path dir;
  static ManagerApi api;

  @BeforeAll
  static void useCluster(Cluster c) throws Exception {
    cluster = c;
    api = c.api();
    dir = Files.createTempDirectory("berth-cluster-it");
    BerthProcess.Result token = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", c.managerData().toString());
    assertThat(token.exit()).as(token.err()).isZero();
  }

  @Test
  @Order(1)
  void threeNodesJoinAndAreReadyWithTheirFactsAndLabels() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    LocalEngine first = cluster.engines().get(0);
    JsonNode n1 = api.get("/v1/nodes/" + first.name());
    assertThat(n1.path("address").asText()).isEqualTo(first.address() + ":12376");
    assertThat(n1.path("labels").path("rack").asText()).isEqualTo("r" + first.number());
    assertThat(n1.path("labels").path("node").asText()).as("engine label").isEqualTo(first.name());
    assertThat(n1.path("engine").path("engine_version").asText()).startsWith("20.10");
    assertThat(n1.path("engine").path("cpus").asInt()).isPositive();
    assertThat(api.get("/v1/cells")).hasSize(3);

    BerthProcess.Result table = BerthProcess.run(Duration.ofSeconds(30), "nodes", "--data", cluster.managerData().toString());
    List<String> addresses = cluster.engines().stream().map(e -> e.address() + ":12376").toList();
    assertThat(table.out()).contains("NAME", "ready", addresses.get(1));
    for (LocalEngine e : cluster.engines()) assertThat(table.out()).contains(e.name());
    BerthProcess.Result list = BerthProcess.run(Duration.ofSeconds(30), "list", cluster.etcd().url());
    assertThat(list.out().lines().toList()).containsExactlyElementsOf(addresses);
  }

  @Test
  @Order(2)
  void theDockerCliReachesANodesEngineThroughItsAgentOnlyWithAManagerCertificate() throws Exception {
    Path asManager = identity("it-manager", Role.MANAGER);
    Path asNode = identity("it-node", Role.NODE);
    String first = "tcp://" + cluster.engines().get(0).address() + ":12376";
    String second = "tcp://" + cluster.engines().get(1).address() + ":12376";
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
    LocalEngine node2 = cluster.engines().get(1);
    String name2 = node2.name();
    String id = node2.engine().create(new ContainerSpec("survivor", "berth/busybox:1", List.of("sleep", "600"),
        List.of(), java.util.Map.of(), 0, 0, java.util.Map.of(), ""));
    node2.engine().start(id);
    cluster.agent(name2).kill();
    long t0 = System.nanoTime();
    await().atMost(TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> api.nodeState(name2).equals("down"));
    System.out.printf("berth-it: " + name2 + " down %.2f s after SIGKILL of its agent (TTL %d s)%n", (System.nanoTime() - t0) / 1e9, TTL.toSeconds());
    assertThat(api.nodeState(cluster.engines().get(0).name())).isEqualTo("ready");
    assertThat(node2.engine().inspect(id).orElseThrow().running()).as("containers outlive their agent").isTrue();
    JsonNode events = api.get("/v1/activity");
    assertThat(events.toString()).contains("node-down", "node/" + name2);

    cluster.startAgent(node2, null); // the certificate in its data dir is enough now
    await().atMost(Duration.ofSeconds(20)).until(() -> api.nodeState(name2).equals("ready"));
    node2.engine().remove(id, true);
  }

  @Test
  @Order(4)
  void aManagerKilledWithSigkillRestartsWithEveryNodeAndTheAgentsCarryOn() throws Exception {
    String name1 = cluster.engines().get(0).name();
    Instant joined = Instant.parse(api.get("/v1/nodes/" + name1).path("joined_at").asText());
    cluster.killManager();
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.agent(name1).output().contains("manager-unreachable"));
    BerthProcess manager = cluster.startManager();
    assertThat(manager.output()).contains("'berth join-token' prints the token");
    await().atMost(Duration.ofSeconds(20)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    assertThat(Instant.parse(api.get("/v1/nodes/" + name1).path("joined_at").asText())).isEqualTo(joined);
    for (LocalEngine e : cluster.engines()) assertThat(cluster.agent(e.name()).isAlive()).isTrue();
  }

  /** The docker CLI's flags to present a cluster identity and check the agent against the cluster CA. */
  static List<String> tls(Path certs) {
    return List.of("--tlsverify", "--tlscacert", certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("cert.pem").toString(),
        "--tlskey", certs.resolve("key.pem").toString());
  }

  /** Writes a cluster identity for the docker CLI (ca.pem, cert.pem, key.pem), signed by the CA in etcd. */
  static Path identity(String name, Role role) throws IOException {
    Path out = dir.resolve("certs-" + name);
    try (StateStore store = StateStores.open(cluster.etcd().url())) {
      Identity id = ClusterSecrets.loadOrCreate(store, Instant.now()).ca().newIdentity(name, role, Duration.ofHours(1), Instant.now());
      id.save(out);
    }
    return out;
  }
}

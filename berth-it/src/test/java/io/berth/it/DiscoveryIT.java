package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engines without agents: {@code berth manage --discovery file://…} reaching two real dockerds
 * over plain TCP, as Swarm's file:// discovery did; the list file edited while it runs.
 */
@BerthCluster(nodes = 2, firstNode = 11, engineTcpPort = 2375, agents = false, setup = DiscoveryIT.EngineList.class,
    managerArgs = {"--discovery", "file://{dir}/engines", "--heartbeat", "1s", "--node-ttl", "3s"})
class DiscoveryIT {
  static Cluster cluster;
  static Path dir;
  static Path list;
  static String host;
  static String a;
  static String b;

  @BeforeAll
  static void start(Cluster c) throws Exception {
    cluster = c;
    dir = c.dir();
    list = dir.resolve("engines");
    host = c.dockerHost();
    a = c.engines().get(0).address() + ":2375";
    b = c.engines().get(1).address() + ":2375";
  }

  /** The file the manager discovers engines in, with the first engine only. */
  static final class EngineList implements BerthCluster.Setup {
    @Override
    public void beforeManager(Path dir, List<LocalEngine> engines) throws IOException {
      Files.writeString(dir.resolve("engines"), "# engines Berth manages without agents\n" + engines.get(0).address() + ":2375\n");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (String engine : new String[] {a, b}) {
      if (engine != null) DockerCli.run("tcp://" + engine, List.of(), null, "rm", "-f", "d1", "d2");
    }
  }

  @Test
  void enginesInTheListAreNodesAndLeaveWhenTakenOut() throws Exception {
    String hostName = DockerCli.run("tcp://" + a, List.of(), null, "info", "-f", "{{.Name}}").out().strip()
        .split("\\.")[0].toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    await().atMost(Duration.ofSeconds(20)).until(() -> docker("info", "--format", "{{json .SystemStatus}}").out().contains("\"Nodes\",\"1\""));
    DockerCli.Result d1 = docker("run", "-d", "--name", "d1", "-p", "18111:80", "berth/busybox:1", "sleep", "300");
    assertThat(d1.exit()).as(d1.err()).isZero();
    assertThat(docker("inspect", "-f", "{{.Node.Name}} {{.Node.Addr}}", "d1").out()).isEqualTo(hostName + " " + a + "\n");
    assertThat(docker("port", "d1").out()).contains(cluster.engines().get(0).address() + ":18111");

    // A second engine added to the file while the manager runs: it shares the host name, so it is NAME-2.
    Files.writeString(list, a + "\n" + b + "\n");
    await().atMost(Duration.ofSeconds(20)).until(() -> docker("info", "--format", "{{json .SystemStatus}}").out().contains("\"Nodes\",\"2\""));
    DockerCli.Result d2 = docker("run", "-d", "--name", "d2", "-e", "constraint:node==" + hostName + "-2", "berth/busybox:1", "sleep", "300");
    assertThat(d2.exit()).as(d2.err()).isZero();
    assertThat(docker("inspect", "-f", "{{.Node.Addr}}", "d2").out()).isEqualTo(b + "\n");
    DockerCli.Result exec = DockerCli.run(host, List.of(), "straight to the engine\n", "exec", "-i", "d2", "cat");
    assertThat(exec.out()).as("a hijacked stream over plain TCP, half-closed").isEqualTo("straight to the engine\n");
    assertThat(docker("ps", "--format", "{{.Names}}").out().lines().sorted().toList()).containsExactly(hostName + "-2/d2", hostName + "/d1");

    // Taken out of the list: no more heartbeats, so it goes down when its lease ends, and listings leave it out.
    Files.writeString(list, a + "\n");
    await().atMost(Duration.ofSeconds(20)).until(() -> docker("info", "--format", "{{json .SystemStatus}}").out()
        .contains("[\" " + hostName + "-2\",\"" + b + "\"],[\"  └ Status\",\"Unhealthy\"]"));
    assertThat(docker("ps", "--format", "{{.Names}}").out().strip()).isEqualTo(hostName + "/d1");
  }

  @Test
  void binpackFillsOneNodeAndRandomUsesAny() throws Exception {
    // Two more managers over the same two engines (discovery needs no join), one per strategy.
    for (String strategy : List.of("binpack", "random")) {
      int port = Ports.free();
      String other = "tcp://127.0.0.1:" + port;
      try (BerthProcess m = BerthProcess.start("manager-" + strategy, dir, "manage", "--store", "sqlite://" + dir.resolve(strategy + ".db"),
          "--data", dir.resolve(strategy).toString(), "--api-addr", "127.0.0.1:0", "--cluster-addr", "127.0.0.1:0",
          "--docker-addr", "127.0.0.1:" + port, "--discovery", "nodes://" + a + "," + b, "--strategy", strategy, "--heartbeat", "1s", "--node-ttl", "3s")) {
        m.awaitLine("berth manager is running", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> DockerCli.run(other, List.of(), null, "info", "--format", "{{json .SystemStatus}}").out()
            .contains("[\"Strategy\",\"" + strategy + "\"],[\"Filters\"") && DockerCli.run(other, List.of(), null, "info", "--format",
            "{{.SystemStatus}}").out().split("Healthy", -1).length == 3);
        java.util.Set<String> nodes = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
          DockerCli.Result r = DockerCli.run(other, List.of(), null, "run", "-d", "--name", strategy + i, "-m", "64m", "berth/busybox:1", "sleep", "300");
          assertThat(r.exit()).as(r.err()).isZero();
          nodes.add(DockerCli.run(other, List.of(), null, "inspect", "-f", "{{.Node.Addr}}", strategy + i).out().strip());
        }
        if (strategy.equals("binpack")) assertThat(nodes).as("binpack keeps filling the fullest node that fits").hasSize(1);
        else assertThat(nodes).isSubsetOf(a, b);
        DockerCli.run(other, List.of(), null, "rm", "-f", strategy + "0", strategy + "1", strategy + "2");
      }
    }
  }

  @Test
  void aMalformedListIsRefusedAtStart() throws Exception {
    BerthProcess.Result bad = BerthProcess.run(Duration.ofSeconds(30), "manage", "--store", "sqlite://" + dir.resolve("other.db"),
        "--data", dir.resolve("other").toString(), "--api-addr", "127.0.0.1:0", "--cluster-addr", "127.0.0.1:0", "--docker-addr", "127.0.0.1:0",
        "--discovery", "nodes://10.0.0.1");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("engine address '10.0.0.1' needs HOST:PORT").doesNotContain("Exception");
  }

  static DockerCli.Result docker(String... args) throws Exception {
    return DockerCli.run(host, List.of(), null, args);
  }
}

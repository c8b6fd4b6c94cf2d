package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code berth sim}: hollow nodes join a real manager, and the docker CLI sees and uses them like any others. */
@BerthCluster(nodes = 0, firstNode = 0, managerArgs = {"--heartbeat", "1s", "--node-ttl", "3s"})
class SimIT {
  @Test
  void hollowNodesAreMembersWhoseContainersRunAtOnce(Cluster c) throws Exception {
    Path dir = Files.createTempDirectory("berth-sim-it");
    String host = c.dockerHost();
    try (BerthProcess sim = BerthProcess.start("sim", dir, "sim", "--manager", "127.0.0.1:" + c.clusterPort(), "--token", c.joinToken(),
        "--nodes", "5", "--containers", "2", "--cpus", "2", "--memory", "1g", "--name-prefix", "it-hollow", "--port", "12399")) {
      sim.awaitLine("5 hollow nodes are registered", Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(20)).until(() -> docker(host, "ps", "-q").out().lines().count() == 10);
      String info = docker(host, "info", "--format", "{{json .SystemStatus}}").out();
      assertThat(info).contains("[\"Nodes\",\"5\"]", "[\" it-hollow-00001\",\"127.1.0.2:12399\"]", "[\"  └ Reserved Memory\",\"0 B / 1.000 GiB\"]");
      // Scheduled like any node: a 600 MiB container each fits on a 1 GiB node once.
      for (int i = 0; i < 5; i++) {
        DockerCli.Result r = docker(host, "run", "-d", "--name", "big" + i, "-m", "600m", "berth/busybox:1", "sleep", "100");
        assertThat(r.exit()).as(r.err()).isZero();
      }
      assertThat(docker(host, "run", "-d", "-m", "600m", "berth/busybox:1", "sleep", "100").err()).contains("not enough memory");
      assertThat(docker(host, "ps", "--filter", "name=big", "--format", "{{.Names}}").out().lines().map(n -> n.split("/")[0]).distinct().count())
          .as("spread over the five").isEqualTo(5);
      assertThat(docker(host, "stop", "big0").exit()).isZero();
      assertThat(docker(host, "ps", "-a", "--filter", "name=big0", "--format", "{{.Status}}").out()).startsWith("Exited (137)");
      assertThat(docker(host, "rm", "big0").exit()).isZero();
      assertThat(docker(host, "exec", "big1", "true").err()).contains("does not implement");
    }
    // The sim is gone: its nodes stop heartbeating and go down.
    await().atMost(Duration.ofSeconds(20)).until(() -> docker(host, "info", "--format", "{{json .SystemStatus}}").out()
        .split("Unhealthy", -1).length == 6);
  }

  static DockerCli.Result docker(String host, String... args) throws Exception {
    return DockerCli.run(host, List.of(), null, args);
  }
}

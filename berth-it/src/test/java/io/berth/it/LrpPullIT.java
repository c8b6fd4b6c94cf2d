package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An LRP whose image no node has, on the {@link EtcdCluster}: pulled by every node that runs it
 * from a real private registry, and one no registry has crashes saying why.
 */
@EtcdCluster
class LrpPullIT extends OnLrps {
  @Test
  void anImageNoNodeHasIsPulledFromAPrivateRegistryAndOneNoRegistryHasSaysWhy() throws Exception {
    // A real registry (Debian's docker-registry) on loopback, which engines trust without TLS.
    int port = Ports.free();
    Path config = file("registry.yml", "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("registry-data")
        + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
    Process registry = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> get("http://127.0.0.1:" + port + "/v2/").startsWith("200"));
      String repo = "127.0.0.1:" + port + "/it/pulled:1";
      String first = "unix://" + cluster.engines().get(0).socket();
      assertThat(DockerCli.run(first, List.of(), null, "tag", "berth/busybox:1", repo).exit()).isZero();
      DockerCli.Result push = DockerCli.run(first, List.of(), null, "push", repo);
      assertThat(push.exit()).as(push.err()).isZero();
      assertThat(DockerCli.run(first, List.of(), null, "rmi", repo).exit()).isZero();
      String pulled = WEB.replace("\"web\"", "\"pulled\"").replace("docker:///berth/busybox#1", "docker://127.0.0.1:" + port + "/it/pulled#1");
      BerthProcess.Result created = berth("lrp", "create", "-f", file("pulled.json", pulled).toString(), "--watch");
      assertThat(created.exit()).as(created.err() + created.out()).isZero();
      assertThat(allRunning("pulled", 3)).isTrue();
      for (JsonNode a : instances("pulled")) {
        LocalEngine e = engine(a.path("cell_id").asText());
        assertThat(DockerCli.run("unix://" + e.socket(), List.of(), null, "image", "inspect", repo).exit()).as("pulled on " + e.name()).isZero();
      }
      assertThat(berth("lrp", "rm", "pulled").exit()).isZero();

      String missing = WEB.replace("\"web\"", "\"missing\"").replace("\"instances\": 3", "\"instances\": 1")
          .replace("docker:///berth/busybox#1", "docker://127.0.0.1:" + port + "/it/nothing#1");
      assertThat(berth("lrp", "create", "-f", file("missing.json", missing).toString()).exit()).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        JsonNode a = api.get("/v1/actual_lrps/missing/index/0");
        return a != null && a.path("crash_reason").asText().contains("cannot pull image 127.0.0.1:" + port + "/it/nothing:1");
      });
      assertThat(berth("lrp", "rm", "missing").exit()).isZero();
    } finally {
      registry.destroy();
      registry.waitFor();
    }
  }
}

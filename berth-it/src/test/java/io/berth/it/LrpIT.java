package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * LRPs and tasks on a real three-node cluster (nodes 24-26, etcd, the berth jar as manager and
 * agents: the {@link EtcdCluster} it shares), driven through the berth CLI and the Receptor API:
 * instances run and serve, a killed container comes back, a manager restart changes nothing, a
 * lost node's instances move, a drained node empties without losing capacity, and a task runs
 * once with its result.
 */
@EtcdCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LrpIT extends OnLrps {
  @Test
  @Order(1)
  void anLrpsInstancesRunSpreadAndServeWithDiegosEnvironment() throws Exception {
    long t0 = System.nanoTime();
    BerthProcess.Result created = berth("lrp", "create", "-f", file("web.json", WEB).toString(), "--watch");
    assertThat(created.exit()).as(created.err() + created.out()).isZero();
    assertThat(created.out()).contains("web: 3/3 running");
    System.out.printf("berth-it: 3 instances RUNNING %d ms after berth lrp create%n", (System.nanoTime() - t0) / 1_000_000);
    Set<String> cells = new HashSet<>();
    for (JsonNode a : instances("web")) {
      cells.add(a.path("cell_id").asText());
      String address = a.path("address").asText();
      int port = a.path("ports").get(0).path("host_port").asInt();
      assertThat(a.path("ports").get(0).path("container_port").asInt()).isEqualTo(8080);
      assertThat(address).isEqualTo(engine(a.path("cell_id").asText()).address());
      assertThat(get("http://" + address + ":" + port + "/"))
          .isEqualTo("200 hello " + a.path("index").asInt() + " " + address + ":" + port + "\n");
    }
    assertThat(cells).as("spread over the three nodes").hasSize(3);
    BerthProcess.Result table = berth("lrp", "instances", "web");
    assertThat(table.out()).contains("RUNNING", "INDEX");
  }

  @Test
  @Order(2)
  void aKilledContainerIsRunningAgainAtOnceInPlace() throws Exception {
    JsonNode victim = instances("web").get(0);
    String oldGuid = victim.path("instance_guid").asText();
    int index = victim.path("index").asInt();
    LocalEngine e = engine(victim.path("cell_id").asText());
    String container = DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=" + INSTANCE + "=" + oldGuid)
        .out().strip();
    assertThat(container).isNotEmpty();
    long t0 = System.nanoTime();
    assertThat(DockerCli.run("unix://" + e.socket(), List.of(), null, "kill", container).exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      JsonNode a = api.get("/v1/actual_lrps/web/index/" + index);
      return a != null && a.path("state").asText().equals("RUNNING") && a.path("crash_count").asInt() == 1;
    });
    System.out.printf("berth-it: killed container RUNNING again (in place) after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    JsonNode after = api.get("/v1/actual_lrps/web/index/" + index);
    assertThat(after.path("instance_guid").asText()).as("the first crashes restart in place").isEqualTo(oldGuid);
    assertThat(after.path("crash_reason").asText()).contains("exited");
    assertThat(DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=" + INSTANCE + "=" + oldGuid)
        .out().strip()).as("the same container, running again").isEqualTo(container);
    assertThat(allRunning("web", 3)).isTrue();
  }

  @Test
  @Order(3)
  void aManagerRestartLeavesHealthyInstancesAlone() throws Exception {
    Map<Integer, String> before = new HashMap<>();
    for (JsonNode a : instances("web")) before.put(a.path("index").asInt(), a.path("instance_guid").asText());
    Set<String> containers = new HashSet<>();
    for (LocalEngine e : cluster.engines()) containers.addAll(instanceContainers(e));
    cluster.killManager();
    cluster.startManager();
    Thread.sleep(3000); // heartbeats, reports and a convergence pass have happened
    await().atMost(Duration.ofSeconds(20)).until(() -> allRunning("web", 3));
    Map<Integer, String> after = new HashMap<>();
    for (JsonNode a : instances("web")) after.put(a.path("index").asInt(), a.path("instance_guid").asText());
    assertThat(after).isEqualTo(before);
    Set<String> now = new HashSet<>();
    for (LocalEngine e : cluster.engines()) now.addAll(instanceContainers(e));
    assertThat(now).as("the same containers").isEqualTo(containers);
  }

  @Test
  @Order(4)
  void aLostNodesInstancesRunElsewhereWithinTheTtlAndItsStaleContainersGoWhenItReturns() throws Exception {
    String lost = instances("web").get(1).path("cell_id").asText();
    long t0 = System.nanoTime();
    cluster.agent(lost).kill();
    await().atMost(TTL.plusSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> allRunning("web", 3)
        && instances("web").stream().noneMatch(a -> a.path("cell_id").asText().equals(lost)));
    System.out.printf("berth-it: node lost to all its instances RUNNING elsewhere: %d ms (TTL %d s)%n", (System.nanoTime() - t0) / 1_000_000,
        TTL.toSeconds());
    assertThat(instanceContainers(engine(lost))).as("the lost node's containers still run: only its agent died").isNotEmpty();
    cluster.startAgent(engine(lost));
    await().atMost(Duration.ofSeconds(30)).until(() -> instanceContainers(engine(lost)).isEmpty());
    assertThat(allRunning("web", 3)).isTrue();
  }

  @Test
  @Order(5)
  void aDrainedNodeEmptiesWhileItsInstancesKeepServing() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    String drained = instances("web").get(0).path("cell_id").asText();
    BerthProcess.Result r = berth("node", "drain", drained, "--watch");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains(drained + ": drained");
    await().atMost(Duration.ofSeconds(20)).until(() -> allRunning("web", 3));
    assertThat(instances("web")).noneMatch(a -> a.path("cell_id").asText().equals(drained));
    await().atMost(Duration.ofSeconds(20)).until(() -> instanceContainers(engine(drained)).isEmpty());
    assertThat(berth("node", "undrain", drained).exit()).isZero();
  }

  @Test
  @Order(6)
  void killingAnythingAtAnyMomentLeavesEachSlotWithExactlyOneContainer() throws Exception {
    long seed = System.nanoTime();
    System.out.println("berth-it: chaos seed " + seed);
    java.util.Random random = new java.util.Random(seed);
    for (int round = 0; round < 6; round++) {
      switch (random.nextInt(3)) {
        case 0 -> { // a container
          List<JsonNode> is = instances("web");
          JsonNode victim = is.get(random.nextInt(is.size()));
          if (!victim.path("cell_id").asText().isEmpty()) {
            LocalEngine e = engine(victim.path("cell_id").asText());
            String id = DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter",
                "label=" + INSTANCE + "=" + victim.path("instance_guid").asText()).out().strip();
            if (!id.isEmpty()) DockerCli.run("unix://" + e.socket(), List.of(), null, "kill", id);
          }
        }
        case 1 -> { // the manager
          cluster.killManager();
          Thread.sleep(random.nextInt(1500));
          cluster.startManager();
        }
        default -> { // an agent, back after a while (maybe past its lease)
          LocalEngine e = cluster.engines().get(random.nextInt(cluster.engines().size()));
          cluster.agent(e.name()).kill();
          Thread.sleep(random.nextInt((int) TTL.toMillis() + 2000));
          cluster.startAgent(e);
        }
      }
      Thread.sleep(random.nextInt(2000));
    }
    // Settled: three RUNNING slots, each with exactly one container, and no container besides.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      if (!allRunning("web", 3) || api.countNodes(n -> n.path("state").asText().equals("ready")) != 3) return false;
      Map<String, Integer> perSlot = new HashMap<>();
      int total = 0;
      for (LocalEngine e : cluster.engines()) {
        for (String line : DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "--filter", "label=io.berth.process-guid=web",
            "--format", "{{.Label \"io.berth.index\"}}").out().lines().filter(l -> !l.isBlank()).toList()) {
          perSlot.merge(line.strip(), 1, Integer::sum);
          total++;
        }
      }
      return total == 3 && perSlot.equals(Map.of("0", 1, "1", 1, "2", 1));
    });
    for (JsonNode a : instances("web")) {
      int port = a.path("ports").get(0).path("host_port").asInt();
      assertThat(get("http://" + a.path("address").asText() + ":" + port + "/")).startsWith("200 hello " + a.path("index").asInt());
    }
  }

  @Test
  @Order(7)
  void aTaskRunsOnceAndReturnsItsResult() throws Exception {
    String task = """
        {"task_guid": "job1", "domain": "jobs", "rootfs": "docker:///berth/busybox#1", "memory_mb": 16,
         "action": {"run": {"path": "/bin/sh", "args": ["-c", "echo computed $((6 * 7)) > /tmp/result"], "user": "root"}},
         "result_file": "/tmp/result"}""";
    BerthProcess.Result r = berth("task", "create", "-f", file("job.json", task).toString(), "--watch");
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("computed 42");
    JsonNode t = api.get("/v1/tasks/job1");
    assertThat(t.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(t.path("failed").asBoolean()).isFalse();
    assertThat(berth("task", "rm", "job1").exit()).isZero();
    assertThat(api.get("/v1/tasks/job1")).isNull();
  }

  @Test
  @Order(9)
  void scalingDownAndRemovingStopTheirContainers() throws Exception {
    assertThat(berth("lrp", "scale", "web", "1").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> instances("web").size() == 1 && allRunning("web", 1));
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      int n = 0;
      for (LocalEngine e : cluster.engines()) n += instanceContainers(e).size();
      return n == 1;
    });
    assertThat(berth("lrp", "rm", "web").exit()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      int n = 0;
      for (LocalEngine e : cluster.engines()) n += instanceContainers(e).size();
      return n == 0;
    });
    assertThat(api.get("/v1/desired_lrps/web")).isNull();
  }
}

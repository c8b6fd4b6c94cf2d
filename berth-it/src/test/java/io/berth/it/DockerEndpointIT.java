package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The docker CLI against the manager's Docker endpoint, over three real engines
 * ({@link OnDockerEndpoint}): the cluster behaves as one engine, containers are named NODE/NAME,
 * the scheduler's filters decide where each container lands, a node that drops is named, and
 * mistakes get the engine's own kind of answer.
 */
@OnDockerEndpoint.DockerEndpointCluster
@Order(Integer.MAX_VALUE) // its last test kills an agent: the last class on the cluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEndpointIT extends OnDockerEndpoint {
  /** What a failed test left (node17's "lost" goes with the cluster: an agent killed, it is not handed on). */
  @AfterAll
  static void stop() throws Exception {
    docker(null, "rm", "-f", "web", "db", "cache", "app", "p1", "p2", "p3", "ssd1", "slot1", "slot2", "slot3", "elsewhere");
  }

  @Test
  void theDockerCliSeesOneEngineMadeOfTheWholeCluster() throws Exception {
    assertThat(docker(null, "version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").out()).startsWith("berth/").contains("1.41");
    String status = docker(null, "info", "--format", "{{json .SystemStatus}}").out();
    assertThat(status).contains("[\"Strategy\",\"spread\"]", "[\"Nodes\",\"3\"]", "[\" node16\",\"127.0.0.116:12376\"]",
        "[\" node17\",\"127.0.0.117:12376\"]", "[\" node18\",\"127.0.0.118:12376\"]", "[\"  └ Status\",\"Healthy\"]", "disk=ssd",
        "containerslots=2");

    DockerCli.Result web = docker(null, "run", "-d", "--name", "web", "berth/busybox:1", "sh", "-c", "echo hello from web; sleep 300");
    assertThat(web.exit()).as(web.err()).isZero();
    DockerCli.Result db = docker(null, "run", "-d", "--name", "db", "berth/busybox:1", "sleep", "300");
    assertThat(db.exit()).as(db.err()).isZero();
    DockerCli.Result cache = docker(null, "run", "-d", "--name", "cache", "berth/busybox:1", "sleep", "300");
    assertThat(cache.exit()).as(cache.err()).isZero();
    List<String> names = docker(null, "ps", "--format", "{{.Names}}").out().lines().sorted().toList();
    assertThat(names).hasSize(3);
    assertThat(names.stream().map(n -> n.substring(0, n.indexOf('/'))).toList()).as("spread puts one on each node")
        .containsExactlyInAnyOrder("node16", "node17", "node18");
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}} {{.Node.Addr}}", "web").out()).matches("node1([678]) 127\\.0\\.0\\.11\\1:12376\\n");
    assertThat(docker(null, "logs", "web").out()).isEqualTo("hello from web\n");
    String qualified = names.stream().filter(n -> n.endsWith("/web")).findFirst().orElseThrow();
    assertThat(docker(null, "logs", qualified).out()).as("NODE/NAME, sent unescaped by the CLI").isEqualTo("hello from web\n");
    assertThat(docker(null, "inspect", "-f", "{{.Name}}", qualified).out()).isEqualTo("/web\n");
    assertThat(docker(null, "rm", "-f", "web", "db", "cache").exit()).isZero();
  }

  @Test
  void streamsAndHijackedConnectionsReachTheNodeWithHalfClose() throws Exception {
    docker(null, "run", "-d", "--name", "app", "berth/busybox:1", "sleep", "300");
    DockerCli.Result exec = docker("hi through the manager\n", "exec", "-i", "app", "cat");
    assertThat(exec.exit()).as(exec.err()).isZero();
    assertThat(exec.out()).isEqualTo("hi through the manager\n");
    DockerCli.Result run = docker("piped\n", "run", "--rm", "-i", "berth/busybox:1", "cat");
    assertThat(run.out()).as(run.err()).isEqualTo("piped\n");
    assertThat(docker(null, "exec", "app", "echo", "-n", "ok").out()).isEqualTo("ok");
    assertThat(docker(null, "stop", "-t", "1", "app").exit()).isZero();
    assertThat(docker(null, "rm", "app").exit()).isZero();
    assertThat(docker(null, "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("/app");
  }

  @Test
  void constraintsAndPortsDecideTheNodeAndSayWhyWhenNothingFits() throws Exception {
    DockerCli.Result ssd = docker(null, "run", "-d", "--name", "ssd1", "-e", "constraint:disk==ssd", "berth/busybox:1", "sleep", "300");
    assertThat(ssd.exit()).as(ssd.err()).isZero();
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}} {{.Config.Env}} {{index .Config.Labels \"com.docker.swarm.constraints\"}}", "ssd1").out())
        .startsWith("node17").doesNotContain("constraint:disk").contains("[\"disk==ssd\"]");
    DockerCli.Result hdd = docker(null, "run", "-d", "-e", "constraint:disk==hdd", "-e", "constraint:node!=node18", "berth/busybox:1", "true");
    assertThat(hdd.exit()).as(hdd.err()).isZero();
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", hdd.out().strip()).out()).as("two constraints, both held").isEqualTo("node16\n");
    docker(null, "rm", "-f", hdd.out().strip());

    List<String> portNodes = new ArrayList<>();
    for (String name : List.of("p1", "p2", "p3")) {
      DockerCli.Result r = docker(null, "run", "-d", "--name", name, "-p", "18080:80", "berth/busybox:1", "sleep", "300");
      assertThat(r.exit()).as(r.err()).isZero();
      portNodes.add(docker(null, "inspect", "-f", "{{.Node.Name}}", name).out());
    }
    assertThat(portNodes).as("the port filter spreads them").containsExactlyInAnyOrder("node16\n", "node17\n", "node18\n");
    DockerCli.Result fourth = docker(null, "run", "-d", "-p", "18080:80", "berth/busybox:1", "sleep", "300");
    assertThat(fourth.exit()).isNotZero();
    assertThat(fourth.err()).contains("no node fits: port 18080/tcp in use on node16, node17, node18");
    DockerCli.Result none = docker(null, "run", "-d", "-e", "constraint:disk==nvme", "berth/busybox:1", "true");
    assertThat(none.err()).contains("no node fits: constraint disk==nvme not met on node16, node17, node18");
    DockerCli.Result bad = docker(null, "run", "-d", "-e", "constraint:disk=ssd", "berth/busybox:1", "true");
    assertThat(bad.err()).contains("invalid constraint 'disk=ssd'");
    assertThat(docker(null, "rm", "-f", "ssd1", "p1", "p2", "p3").exit()).isZero();
  }

  @Test
  void aNodeWithContainerSlotsTakesNoMoreThanItsLabelSays() throws Exception {
    // node18 joined with containerslots=2; every container there counts, running or not.
    long there = docker(null, "ps", "-a", "--format", "{{.Names}}").out().lines().filter(n -> n.startsWith("node18/")).count();
    assertThat(there).as("no test leaves more than node18's slots").isLessThanOrEqualTo(2);
    List<String> made = new ArrayList<>();
    for (long i = there; i < 2; i++) {
      String name = "slot" + (i + 1);
      DockerCli.Result r = docker(null, "create", "--name", name, "-e", "constraint:node==node18", "berth/busybox:1", "sleep", "300");
      assertThat(r.exit()).as(r.err()).isZero();
      made.add(name);
    }
    if (!made.isEmpty()) assertThat(docker(null, "start", made.get(0)).exit()).isZero();
    DockerCli.Result full = docker(null, "run", "-d", "--name", "slot3", "-e", "constraint:node==node18", "berth/busybox:1", "sleep", "300");
    assertThat(full.exit()).isNotZero();
    assertThat(full.err()).contains("no node fits: all 2 container slots used on node18; constraint node==node18 not met on node16, node17");
    assertThat(docker(null, "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("/slot3");
    // Not pinned, only preferring node18 (a soft constraint): the full node is no candidate, so it goes elsewhere.
    DockerCli.Result elsewhere = docker(null, "run", "-d", "--name", "elsewhere", "-e", "constraint:node==~node18", "berth/busybox:1",
        "sleep", "300");
    assertThat(elsewhere.exit()).as(elsewhere.err()).isZero();
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", "elsewhere").out()).as("it goes where a slot is free").isIn("node16\n", "node17\n");
    if (!made.isEmpty()) {
      // A removed container frees its slot.
      assertThat(docker(null, "rm", "-f", made.remove(made.size() - 1)).exit()).isZero();
      DockerCli.Result again = docker(null, "run", "-d", "--name", "slot3", "-e", "constraint:node==node18", "berth/busybox:1", "sleep", "300");
      assertThat(again.exit()).as(again.err()).isZero();
      made.add("slot3");
    }
    made.addAll(0, List.of("rm", "-f"));
    made.add("elsewhere");
    assertThat(docker(null, made.toArray(String[]::new)).exit()).isZero();
  }

  @Test
  @Order(Integer.MAX_VALUE) // kills an agent: runs last
  void aNodeThatDropsIsNamedAndTheRestOfTheClusterStillAnswers() throws Exception {
    assertThat(docker(null, "run", "-d", "--name", "lost", "-e", "constraint:node==node17", "berth/busybox:1", "sleep", "300").exit()).isZero();
    cluster.agent("node17").kill(); // node17's agent; its lease has not expired yet, so the node still counts as ready
    DockerCli.Result logs = docker(null, "logs", "lost");
    assertThat(logs.exit()).isNotZero();
    assertThat(logs.err()).contains("node17 (127.0.0.117:12376)").contains("unreachable");
    DockerCli.Result ps = docker(null, "ps", "--format", "{{.Names}}");
    assertThat(ps.exit()).as(ps.err()).isZero();
    assertThat(ps.out()).doesNotContain("node17/");
    cluster.node(17).engine().remove(cluster.node(17).engine().inspect("lost").orElseThrow().id(), true);
  }

  @Test
  void mistakesGetTheEnginesOwnKindOfAnswer() throws Exception {
    docker(null, "run", "-d", "--name", "dup", "berth/busybox:1", "sleep", "300");
    DockerCli.Result clash = docker(null, "run", "-d", "--name", "dup", "berth/busybox:1", "true");
    assertThat(clash.err()).contains("Error response from daemon: Conflict. The container name \"/dup\" is already in use");
    assertThat(docker(null, "logs", "nosuch").err()).contains("No such container: nosuch"); // "Error:" (20.10) or "Error response from daemon:"
    assertThat(docker(null, "swarm", "init").err()).contains("POST /swarm/init is not supported by Berth");
    // A rename may not take a name that another node's container has.
    docker(null, "run", "-d", "--name", "dup2", "-e", "constraint:node==node16", "berth/busybox:1", "sleep", "300");
    docker(null, "run", "-d", "--name", "other", "-e", "constraint:node==node17", "berth/busybox:1", "sleep", "300");
    assertThat(docker(null, "rename", "other", "dup2").err()).contains("The container name \"/dup2\" is already in use");
    docker(null, "rm", "-f", "dup2", "other");
    // A create the node refuses leaves nothing reserved: reservations are labels of containers that exist.
    String before = docker(null, "info", "--format", "{{json .SystemStatus}}").out();
    DockerCli.Result refused = docker(null, "create", "-m", "64m", "--cpus", "0.5", "nosuch/image:1");
    assertThat(refused.exit()).as("no node has it and no registry is reachable").isNotZero();
    assertThat(docker(null, "info", "--format", "{{json .SystemStatus}}").out()).isEqualTo(before);
    docker(null, "rm", "-f", "dup");
  }
}

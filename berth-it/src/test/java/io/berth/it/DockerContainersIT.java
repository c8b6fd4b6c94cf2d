package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The container commands of the docker CLI through the manager's Docker endpoint
 * ({@link OnDockerEndpoint}): each reaches the container's node, what happens on an engine directly
 * shows in the listings by its events, and the rest of run, ps, logs, exec and the image flags work.
 */
@OnDockerEndpoint.DockerEndpointCluster
class DockerContainersIT extends OnDockerEndpoint {
  @Test
  void everyOtherContainerCommandReachesItsNode() throws Exception {
    assertThat(docker(null, "run", "-d", "--name", "box", "-p", "18090:80", "-e", "constraint:node==node16", "berth/busybox:1",
        "sh", "-c", "echo one; echo two; sleep 300").exit()).isZero();
    assertThat(docker(null, "port", "box").out()).contains("80/tcp -> 127.0.0.116:18090");
    assertThat(docker(null, "top", "box").out()).contains("sleep 300");
    assertThat(docker(null, "stats", "--no-stream", "--format", "{{.Name}}", "box").out()).contains("box");
    Path f = Files.writeString(dir.resolve("cp-in.txt"), "copied\n");
    assertThat(docker(null, "cp", f.toString(), "box:/tmp/cp.txt").exit()).isZero();
    assertThat(docker(null, "cp", "box:/tmp/cp.txt", dir.resolve("cp-out.txt").toString()).exit()).isZero();
    assertThat(Files.readString(dir.resolve("cp-out.txt"))).isEqualTo("copied\n");
    assertThat(docker(null, "diff", "box").out()).contains("A /tmp/cp.txt");
    assertThat(docker(null, "logs", "--tail", "1", "box").out()).isEqualTo("two\n");
    assertThat(docker(null, "pause", "box").exit()).isZero();
    assertThat(docker(null, "unpause", "box").exit()).isZero();
    assertThat(docker(null, "rename", "box", "box2").exit()).isZero();
    assertThat(docker(null, "restart", "-t", "1", "box2").exit()).isZero();
    assertThat(docker(null, "kill", "box2").exit()).isZero();
    assertThat(docker(null, "wait", "box2").out().strip()).isEqualTo("137");
    DockerCli.Result commit = docker(null, "commit", "box2", "berth/committed:1");
    assertThat(commit.out()).as(commit.err()).startsWith("sha256:");
    assertThat(docker(null, "export", "-o", dir.resolve("box2.tar").toString(), "box2").exit()).isZero();
    assertThat(Files.size(dir.resolve("box2.tar"))).isGreaterThan(100_000);
    assertThat(docker(null, "ps", "-a", "--filter", "name=box2", "--format", "{{.Names}}").out().strip()).isEqualTo("node16/box2");
    assertThat(docker(null, "ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").out()).contains("node16/box2");
    docker(null, "run", "-d", "--name", "newest", "-e", "constraint:node==node17", "berth/busybox:1", "sleep", "300");
    assertThat(docker(null, "ps", "-l", "--format", "{{.Names}}").out().strip()).as("-l over the whole cluster").isEqualTo("node17/newest");
    assertThat(docker(null, "ps", "-a", "-n", "2", "--format", "{{.Names}}").out().lines().toList()).containsExactly("node17/newest", "node16/box2");
    assertThat(docker(null, "system", "df").out()).contains("Images", "Containers", "Local Volumes");
    docker(null, "rm", "-f", "box2", "newest");
    docker(null, "rmi", "berth/committed:1");
  }

  @Test
  void aDetachedRunLeavesNoConnectionBehindItsWait() throws Exception {
    int port = Integer.parseInt(dockerHost.substring(dockerHost.lastIndexOf(':') + 1));
    for (int i = 0; i < 3; i++) {
      assertThat(docker(null, "run", "-d", "--name", "detached" + i, "berth/busybox:1", "sleep", "300").exit()).isZero();
    }
    // docker run -d exits with its wait still open; the engine ends a wait whose client left, and so must the manager's relay.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(closeWaitOn(port))
        .as("the manager's connections from CLIs that left, still held (CLOSE_WAIT) on the Docker endpoint's port").isZero());
    assertThat(docker(null, "run", "--rm", "berth/busybox:1", "sh", "-c", "exit 3").exit()).as("an attached run still gets its exit code").isEqualTo(3);
    docker(null, "rm", "-f", "detached0", "detached1", "detached2");
  }

  /** Sockets of this machine in CLOSE_WAIT on the local {@code port} (the kernel's own table, so no tool is needed). */
  private static long closeWaitOn(int port) throws java.io.IOException {
    String local = String.format(":%04X ", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) continue;
      // sl local_address rem_address st ...: st 08 is CLOSE_WAIT
      n += Files.readAllLines(p).stream().skip(1).map(String::strip).map(l -> l.split("\\s+"))
          .filter(f -> f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("08")).count();
    }
    return n;
  }

  @Test
  void whatHappensOnAnEngineDirectlyReachesTheListingsByItsEvents() throws Exception {
    // The manager answers ps from memory, kept by each engine's event stream: a container made,
    // stopped and removed behind its back, on the engine itself, must still show as it is.
    String node16 = cluster.node(16).socket();
    assertThat(DockerCli.run(node16, List.of(), null, "run", "-d", "--name", "direct", "berth/busybox:1", "sleep", "300").exit()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> docker(null, "ps", "--format", "{{.Names}} {{.Status}}").out().contains("node16/direct Up"));
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", "direct").out()).isEqualTo("node16\n");
    DockerCli.run(node16, List.of(), null, "kill", "direct");
    await().atMost(Duration.ofSeconds(5)).until(() -> docker(null, "ps", "-a", "--format", "{{.Names}} {{.Status}}").out()
        .contains("node16/direct Exited (137)"));
    assertThat(docker(null, "ps", "--format", "{{.Names}}").out()).doesNotContain("direct");
    DockerCli.run(node16, List.of(), null, "rm", "direct");
    await().atMost(Duration.ofSeconds(5)).until(() -> !docker(null, "ps", "-a", "--format", "{{.Names}}").out().contains("direct"));
    // A write through the manager is seen by the very next request, without waiting for an event.
    for (int i = 0; i < 5; i++) {
      assertThat(docker(null, "create", "--name", "rw" + i, "berth/busybox:1", "true").exit()).isZero();
      assertThat(docker(null, "ps", "-a", "--filter", "name=rw" + i, "--format", "{{.Status}}").out().strip()).isEqualTo("Created");
      assertThat(docker(null, "rm", "rw" + i).exit()).isZero();
      assertThat(docker(null, "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("/rw" + i);
    }
  }

  @Test
  void theRestOfRunPsLogsExecAndImageFlagsWork() throws Exception {
    // run: -P, --restart, --link, --volumes-from, --net=container:, -v; the dependents land with their target.
    // Not on node18: its two slots could not hold dep-db with its three dependents and dep-aff.
    assertThat(docker(null, "run", "-d", "--name", "dep-db", "-P", "--expose", "5432", "--restart", "unless-stopped", "-v", "/data",
        "-l", "tier=db", "-e", "constraint:node!=node18", "berth/busybox:1", "sleep", "300").exit()).isZero();
    String dbNode = docker(null, "inspect", "-f", "{{.Node.Name}}", "dep-db").out().strip();
    assertThat(docker(null, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", "dep-db").out().strip()).isEqualTo("unless-stopped");
    assertThat(docker(null, "port", "dep-db").out()).as("-P publishes on the node's address").contains("5432/tcp -> 127.0.0.1");
    for (String[] run : List.of(new String[] {"dep-link", "--link", "dep-db:db"}, new String[] {"dep-vol", "--volumes-from", "dep-db"},
        new String[] {"dep-net", "--net", "container:dep-db"})) {
      DockerCli.Result r = docker(null, "run", "-d", "--name", run[0], run[1], run[2], "berth/busybox:1", "sleep", "300");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", run[0]).out().strip()).as(run[1] + " lands with its target").isEqualTo(dbNode);
    }
    // affinity (hard and soft) and resources.
    assertThat(docker(null, "run", "-d", "--name", "dep-aff", "-e", "affinity:container==dep-db", "berth/busybox:1", "sleep", "300").exit()).isZero();
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", "dep-aff").out().strip()).isEqualTo(dbNode);
    assertThat(docker(null, "run", "-d", "--name", "dep-anti", "-e", "affinity:container!=dep-db", "berth/busybox:1", "sleep", "300").exit()).isZero();
    assertThat(docker(null, "inspect", "-f", "{{.Node.Name}}", "dep-anti").out().strip()).isNotEqualTo(dbNode);
    docker(null, "rm", "-f", "dep-aff", "dep-anti");
    DockerCli.Result huge = docker(null, "run", "-d", "-m", "100000g", "berth/busybox:1", "true");
    assertThat(huge.err()).contains("no node fits").contains("memory");
    // ps filters: label, id, ancestor (the last answered by the nodes themselves).
    String id = docker(null, "inspect", "-f", "{{.Id}}", "dep-db").out().strip();
    assertThat(docker(null, "ps", "--filter", "label=tier=db", "--format", "{{.Names}}").out().strip()).isEqualTo(dbNode + "/dep-db");
    assertThat(docker(null, "ps", "-q", "--no-trunc", "--filter", "id=" + id.substring(0, 10)).out().strip()).isEqualTo(id);
    assertThat(docker(null, "ps", "--filter", "ancestor=berth/busybox:1", "--format", "{{.Names}}").out()).contains("/dep-db", "/dep-link");
    // exec -e -u -w, attach, logs --since -t.
    assertThat(docker(null, "exec", "-e", "WHO=berth", "-u", "65534", "-w", "/tmp", "dep-db", "sh", "-c", "echo $WHO $(id -u) $(pwd)").out())
        .isEqualTo("berth 65534 /tmp\n");
    docker(null, "run", "-d", "--name", "talker", "berth/busybox:1", "sh", "-c", "echo first; sleep 2; echo second; sleep 300");
    await().atMost(Duration.ofSeconds(10)).until(() -> docker(null, "logs", "talker").out().contains("second"));
    assertThat(docker(null, "logs", "-t", "talker").out()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT.* first\n.* second\n");
    assertThat(docker(null, "logs", "--since", "1h", "talker").out()).contains("first", "second");
    docker(null, "run", "-d", "--name", "late", "berth/busybox:1", "sh", "-c", "sleep 2; echo attached-out");
    DockerCli.Result attach = docker(null, "attach", "--no-stdin", "late");
    assertThat(attach.out()).as("attach follows the container to its end").contains("attached-out");
    // images: history, import (to every node).
    assertThat(docker(null, "history", "berth/busybox:1").out()).contains("IMAGE", "CREATED");
    Path rootfs = dir.resolve("rootfs.tar");
    assertThat(docker(null, "export", "-o", rootfs.toString(), "talker").exit()).isZero();
    assertThat(docker(null, "import", rootfs.toString(), "berth/imported:1").exit()).isZero();
    for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage("berth/imported:1")).as("import reaches " + e.name()).isTrue();
    // events --filter, rm -v.
    long since = System.currentTimeMillis() / 1000;
    assertThat(docker(null, "rm", "-f", "-v", "dep-link", "dep-vol", "dep-net", "talker", "late").exit()).isZero();
    DockerCli.Result events = docker(null, "events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
        "--filter", "event=destroy", "--format", "{{.Actor.Attributes.name}}");
    // --since has one-second grain, so a destroy just before may show too; what matters: these are in, dep-db is not.
    assertThat(events.out().lines().toList()).contains("dep-link", "dep-net", "dep-vol", "late", "talker").doesNotContain("dep-db");
    docker(null, "rm", "-f", "-v", "dep-db");
    docker(null, "rmi", "berth/imported:1");
  }
}

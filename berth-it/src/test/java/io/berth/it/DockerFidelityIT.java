package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Docker clients rely on beyond the plain commands ({@link OnDockerEndpoint}): the Python SDK
 * reading merged events as they come, with Swarm's node attributes; {@code ps --filter node=};
 * host-network containers holding their exposed ports on their node; and a committed image seen by
 * the scheduler at once.
 */
@OnDockerEndpoint.DockerEndpointCluster
class DockerFidelityIT extends OnDockerEndpoint {
  @Test
  void theSdkReadsEventsAsTheyComeWithTheNodesAttributes() throws Exception {
    String script = String.join("\n",
        "import docker, sys, time, threading",
        "c = docker.DockerClient(base_url=sys.argv[1], version='auto')",
        "since = int(time.time())",
        "other = docker.DockerClient(base_url=sys.argv[1], version='auto')  # a second connection: this one holds the stream",
        "threading.Timer(1.0, lambda: other.containers.run('berth/busybox:1', ['sleep', '60'], name='ev1', detach=True)).start()",
        "first = True",
        "for e in c.events(decode=True, since=since, until=since + 30, filters={'container': 'ev1'}):",
        "    a = e.get('Actor', {}).get('Attributes', {})",
        "    if first: print(e.get('status') or e.get('Action'), a.get('node.name'), a.get('node.ip'), e.get('node', {}).get('Name'))",
        "    sys.stdout.flush()",
        "    first = False",
        "    if (e.get('status') or e.get('Action')) == 'start': break  # the run() in the other thread is done: remove it now",
        "c.containers.get('ev1').remove(force=True)");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, dockerHost).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip()).as("the first event, read while the stream stays open").matches("create (node1([678])) 127\\.0\\.0\\.11\\2 \\1");
  }

  @Test
  void psFiltersByNode() throws Exception {
    assertThat(docker(null, "run", "-d", "--name", "pf1", "-e", "constraint:node==node17", "berth/busybox:1", "sleep", "300").exit()).isZero();
    try {
      assertThat(docker(null, "ps", "--filter", "node=node17", "--format", "{{.Names}}").out().lines().toList()).contains("node17/pf1");
      assertThat(docker(null, "ps", "-a", "--filter", "node=node16", "--format", "{{.Names}}").out()).doesNotContain("pf1");
    } finally {
      docker(null, "rm", "-f", "pf1");
    }
  }

  @Test
  void hostNetworkContainersHoldTheirExposedPortsOnTheirNode() throws Exception {
    List<String> made = new ArrayList<>();
    try {
      Set<String> nodes = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        DockerCli.Result r = docker(null, "run", "-d", "--net=host", "--expose", "9100", "--name", "hp" + i, "berth/busybox:1", "sleep", "300");
        assertThat(r.exit()).as(r.err()).isZero();
        made.add("hp" + i);
        nodes.add(docker(null, "inspect", "--format", "{{.Node.Name}}", "hp" + i).out().strip());
      }
      assertThat(nodes).as("one per node: each holds 9100 on its node").hasSize(3);
      DockerCli.Result fourth = docker(null, "run", "-d", "--net=host", "--expose", "9100", "--name", "hp3", "berth/busybox:1", "sleep", "300");
      assertThat(fourth.exit()).isNotZero();
      assertThat(fourth.err()).contains("9100/tcp");
    } finally {
      for (String c : made) docker(null, "rm", "-f", c);
    }
  }

  @Test
  void aCommittedImageIsSeenByTheSchedulerAtOnce() throws Exception {
    assertThat(docker(null, "run", "-d", "--name", "cm1", "-e", "constraint:node==node16", "berth/busybox:1", "sleep", "300").exit()).isZero();
    try {
      DockerCli.Result commit = docker(null, "commit", "cm1", "berth/committed:1");
      assertThat(commit.exit()).as(commit.err()).isZero();
      DockerCli.Result run = docker(null, "run", "-d", "--name", "cm2", "-e", "affinity:image==berth/committed:1", "berth/busybox:1", "sleep", "300");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(docker(null, "inspect", "--format", "{{.Node.Name}}", "cm2").out().strip()).isEqualTo("node16");
    } finally {
      docker(null, "rm", "-f", "cm1", "cm2");
      docker(null, "rmi", "berth/committed:1");
    }
  }
}

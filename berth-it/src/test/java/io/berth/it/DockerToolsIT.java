package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients other than the plain docker CLI against the manager's Docker endpoint
 * ({@link OnDockerEndpoint}): the Docker SDK for Python, networks on one node (compose: {@link DockerComposeIT}),
 * and a terminal for run and exec.
 */
@OnDockerEndpoint.DockerEndpointCluster
class DockerToolsIT extends OnDockerEndpoint {
  @Test
  void theDockerSdkForPythonWorksAgainstTheCluster() throws Exception {
    String script = String.join("\n",
        "import docker, sys, time",
        "c = docker.DockerClient(base_url=sys.argv[1], version='auto')",
        "print(c.version()['ApiVersion'])",
        "ct = c.containers.run('berth/busybox:1', ['sh', '-c', 'echo from sdk; sleep 60'], name='sdk1', detach=True)",
        "time.sleep(1)",
        "print(ct.logs().decode().strip())",
        "print([x.name for x in c.containers.list() if x.name == 'sdk1'], c.containers.get('sdk1').attrs['Node']['Name'])",
        "ct.remove(force=True)",
        "print('removed' if not [x for x in c.containers.list(all=True) if x.name == 'sdk1'] else 'still there')");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, dockerHost).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines().toList()).hasSize(4).satisfies(lines -> {
      assertThat(lines.get(0)).isEqualTo("1.41");
      assertThat(lines.get(1)).isEqualTo("from sdk");
      assertThat(lines.get(2)).as("names come from inspect; Node is Berth's").matches("\\['sdk1'\\] node1[678]");
      assertThat(lines.get(3)).isEqualTo("removed");
    });
  }

  @Test
  void aNetworkLivesOnOneNodeAndItsContainersGoThere() throws Exception {
    DockerCli.Result created = docker(null, "network", "create", "itnet");
    assertThat(created.exit()).as(created.err()).isZero();
    DockerCli.Result pinned = docker(null, "network", "create", "node17/itpinned");
    assertThat(pinned.exit()).as(pinned.err()).isZero();
    assertThat(docker(null, "volume", "create", "itvol").exit()).isZero();
    try {
      List<String> networks = docker(null, "network", "ls", "--format", "{{.Name}}").out().lines().toList();
      String itnet = networks.stream().filter(n -> n.endsWith("/itnet")).findFirst().orElseThrow();
      String node = itnet.substring(0, itnet.indexOf('/'));
      assertThat(networks).as("shown once, as NODE/NAME; the engines' own per node")
          .containsOnlyOnce(itnet).contains("node17/itpinned", "node16/bridge", "node17/bridge", "node18/bridge");
      assertThat(docker(null, "network", "inspect", "--format", "{{.Name}}", "itnet").out().strip())
          .as("a plain NAME finds it").isEqualTo(itnet);
      assertThat(docker(null, "volume", "ls", "-q").out().lines().toList()).containsOnlyOnce("itvol");

      DockerCli.Result run = docker(null, "run", "-d", "--name", "netuser", "--network", "itnet", "-v", "itvol:/data", "berth/busybox:1", "sleep", "300");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(docker(null, "inspect", "--format", "{{.Node.Name}}", "netuser").out().strip()).as("on its network's node").isEqualTo(node);
      String other = node.equals("node16") ? "node17" : "node16";
      DockerCli.Result impossible = docker(null, "run", "-d", "--name", "netuser2", "--network", "itnet", "-e", "constraint:node==" + other,
          "berth/busybox:1", "sleep", "300");
      assertThat(impossible.exit()).isNotZero();
      assertThat(impossible.err()).as("the reason names the network and its node").contains("itnet", node);
      assertThat(docker(null, "network", "disconnect", "itnet", "netuser").exit()).isZero();
      assertThat(docker(null, "network", "connect", "itnet", "netuser").exit()).isZero();
      DockerCli.Result elsewhere = docker(null, "network", "connect", "itpinned", "netuser");
      if (!node.equals("node17")) assertThat(elsewhere.err()).as("a network on another node cannot be joined").contains("node17", node);
    } finally {
      docker(null, "rm", "-f", "netuser");
      docker(null, "network", "rm", "itpinned");
    }
    assertThat(docker(null, "network", "rm", "itnet").exit()).isZero();
    assertThat(docker(null, "volume", "rm", "itvol").exit()).isZero();
    // A 404: the 20.10 CLI words it "No such network: itnet", newer ones pass on the daemon's "network itnet not found".
    assertThat(docker(null, "network", "inspect", "itnet").err()).containsAnyOf("network itnet not found", "No such network: itnet");
  }

  @Test
  void aTerminalWorksForRunAndExec() throws Exception {
    // script(1) gives the CLI a pseudo-terminal, as a person's shell would.
    DockerCli.Result run = sh("script -qec \"" + DockerCli.BINARY + " -H " + dockerHost + " run --rm -it berth/busybox:1 sh -c 'tty; echo tty-ok'\" /dev/null");
    assertThat(run.out()).contains("/dev/pts/", "tty-ok");
    docker(null, "run", "-d", "--name", "term", "berth/busybox:1", "sleep", "300");
    DockerCli.Result exec = sh("script -qec \"" + DockerCli.BINARY + " -H " + dockerHost + " exec -it term sh -c 'tty && echo exec-tty-ok'\" /dev/null");
    assertThat(exec.out()).contains("/dev/pts/", "exec-tty-ok");
    docker(null, "rm", "-f", "term");
  }

  static DockerCli.Result sh(String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
    pb.environment().remove("DOCKER_HOST");
    Path out = Files.createTempFile("sh", ".out");
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("hung: " + script);
    }
    return new DockerCli.Result(p.exitValue(), Files.readString(out).replace("\r", ""), "");
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients other than the plain docker CLI against the manager's Docker endpoint
 * ({@link OnDockerEndpoint}): the Docker SDK for Python, docker-compose with networks and volumes
 * on every node, and a terminal for run and exec.
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
  void aNetworkLivesOnOneNodeAndVolumesOnEverySoComposeWorks() throws Exception {
    assertThat(docker(null, "network", "create", "node17/itnet").exit()).isZero();
    assertThat(docker(null, "volume", "create", "itvol").exit()).isZero();
    List<String> networks = docker(null, "network", "ls", "--format", "{{.Name}}").out().lines().toList();
    assertThat(networks).contains("node17/itnet", "node16/bridge", "node17/bridge", "node18/bridge").containsOnlyOnce("node17/itnet")
        .doesNotContain("itnet", "node16/itnet", "node18/itnet");
    assertThat(docker(null, "volume", "ls", "-q").out().lines().toList()).containsOnlyOnce("itvol");
    assertThat(docker(null, "run", "-d", "--name", "elsewhere", "--network", "itnet", "-e", "constraint:node==node16", "berth/busybox:1",
        "sleep", "300").err()).contains("network itnet is on node17, but the constraint node==node16 excludes that node");
    assertThat(docker(null, "run", "-d", "--name", "netuser", "--network", "itnet", "-v", "itvol:/data",
        "berth/busybox:1", "sleep", "300").exit()).isZero();
    assertThat(docker(null, "inspect", "--format", "{{.Node.Name}}", "netuser").out().strip()).isEqualTo("node17");
    assertThat(docker(null, "network", "disconnect", "itnet", "netuser").exit()).isZero();
    assertThat(docker(null, "network", "connect", "itnet", "netuser").exit()).isZero();
    docker(null, "rm", "-f", "netuser");
    assertThat(docker(null, "network", "rm", "itnet").exit()).isZero();
    assertThat(docker(null, "volume", "rm", "itvol").exit()).isZero();
    // A 404: the 20.10 CLI words it "No such network: itnet", newer ones pass on the daemon's "network itnet not found".
    assertThat(docker(null, "network", "inspect", "itnet").err()).containsAnyOf("network itnet not found", "No such network: itnet");

    Path project = Files.createDirectories(dir.resolve("compose"));
    Files.writeString(project.resolve("docker-compose.yml"), String.join("\n",
        "version: \"2.4\"",
        "services:",
        "  web: {image: \"berth/busybox:1\", command: \"sh -c 'echo web up; sleep 300'\"}",
        "  worker: {image: \"berth/busybox:1\", command: \"sleep 300\", volumes: [\"work:/work\"]}",
        "volumes: {work: {}}", ""));
    DockerCli.Result up = compose(project, "up", "-d");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(docker(null, "ps", "--format", "{{.Names}}").out()).contains("/itdemo_web_1", "/itdemo_worker_1");
    assertThat(compose(project, "logs", "--no-color", "web").out()).contains("web up");
    DockerCli.Result down = compose(project, "down", "-v");
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(docker(null, "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("itdemo_");
  }

  static DockerCli.Result compose(Path project, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker-compose", "-H", dockerHost, "-p", "itdemo"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
    pb.environment().remove("DOCKER_HOST");
    Path out = Files.createTempFile("compose", ".out");
    Path err = Files.createTempFile("compose", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("docker-compose " + String.join(" ", args) + " hung");
    }
    return new DockerCli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
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

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image as DaoCloud ran its agent (issue 19): {@code scripts/image} makes
 * {@code berth/berth} from the release tarball on a real engine (node 55), with nothing pulled; the
 * image runs {@code berth version}; and an agent in it — host network, the engine's socket and the
 * data directory mounted — joins the manager, comes ready, and runs an app's instance on that engine.
 */
@BerthCluster(nodes = 1, firstNode = 55, agents = false)
class ImageIT {
  static final String IMAGE = "berth/berth:it";
  static Cluster cluster;
  static LocalEngine engine;
  static Path data;

  @BeforeAll
  static void makeImage(Cluster c) throws Exception {
    cluster = c;
    engine = c.engines().get(0);
    Path checkout = BerthProcess.JAR.getParent().getParent().getParent();
    long t0 = System.nanoTime();
    run(Duration.ofMinutes(3), List.of(checkout.resolve("scripts/release").toString(), "--skip-build", "--no-lintian"));
    Path tarball;
    try (var dist = Files.list(checkout.resolve("dist"))) {
      tarball = dist.filter(p -> p.getFileName().toString().matches("berth-.*\\.tar\\.gz")).findFirst().orElseThrow();
    }
    ProcessBuilder image = new ProcessBuilder(checkout.resolve("scripts/image").toString(), tarball.toString(), "--tag", IMAGE);
    image.environment().put("DOCKER_HOST", engine.socket());
    run(Duration.ofMinutes(4), image);
    System.out.println("berth-it: image made from the release tarball in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    data = Files.createTempDirectory("berth-image-it");
  }

  @AfterAll
  static void removeAgent() throws Exception {
    if (engine != null) docker("rm", "-f", "berth-agent");
  }

  static void run(Duration timeout, List<String> command) throws Exception {
    run(timeout, new ProcessBuilder(command));
  }

  static void run(Duration timeout, ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", pb.command()) + ":\n" + out)
        .isTrue();
  }

  static DockerCli.Result docker(String... args) throws Exception {
    return DockerCli.run(engine.socket(), List.of(), null, args);
  }

  @Test
  void theImageRunsVersionAndAnAgentInItJoinsAndRunsAnAppsInstance() throws Exception {
    DockerCli.Result version = docker("run", "--rm", IMAGE, "version");
    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out()).startsWith("berth ");

    BerthProcess.Result line = cluster.berth(Duration.ofSeconds(30), "join-token", "--command");
    assertThat(line.exit()).as(line.err()).isZero();
    String[] words = line.out().strip().split("\\s+"); // berth join --manager M --token T --advertise auto
    assertThat(words).contains("--manager", "--token");
    String manager = words[List.of(words).indexOf("--manager") + 1];
    String token = words[List.of(words).indexOf("--token") + 1];
    // The data directory at the same path inside and out: the agent bind-mounts instances' directories from it.
    DockerCli.Result agent = docker("run", "-d", "--name", "berth-agent", "--net", "host",
        "-v", engine.socket().replaceFirst("^unix://", "") + ":/var/run/docker.sock", "-v", data + ":" + data, IMAGE,
        "join", "--manager", manager, "--token", token, "--advertise", engine.address() + ":" + Ports.free(),
        "--metrics-addr", "127.0.0.1:" + Ports.free(), "--engine", "unix:///var/run/docker.sock", "--name", "img55", "--data", data.toString());
    assertThat(agent.exit()).as(agent.err()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(cluster.api().nodeState("img55")) || !running());
    assertThat(running()).as(docker("logs", "berth-agent").err()).isTrue();

    Path manifest = Files.writeString(data.resolve("imgapp.yml"), """
        name: imgapp
        image: berth/busybox:1
        command: [/bin/sh, -c, "exec sleep 3600"]
        instances: 1
        memory: 16m
        """);
    BerthProcess.Result deploy = cluster.berth(Duration.ofSeconds(120), "app", "deploy", "-f", manifest.toString());
    assertThat(deploy.exit()).as(deploy.out() + deploy.err()).isZero();
    assertThat(deploy.out()).contains("imgapp v1 deployed: 1 instance");
    assertThat(docker("ps", "--format", "{{.Names}}").out()).contains("berth-agent", "berth-imgapp-v1-0");
    assertThat(cluster.berth(Duration.ofSeconds(60), "app", "rm", "imgapp").exit()).isZero();
  }

  static boolean running() throws Exception {
    return docker("inspect", "-f", "{{.State.Running}}", "berth-agent").out().strip().equals("true");
  }
}

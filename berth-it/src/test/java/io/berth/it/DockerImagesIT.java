package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Images through the manager's Docker endpoint ({@link OnDockerEndpoint}): pulls, saves and loads
 * that reach every node, events merged from every engine, and a push, a pull and a build against a
 * real registry that go where they should.
 */
@OnDockerEndpoint.DockerEndpointCluster
class DockerImagesIT extends OnDockerEndpoint {
  @Test
  void imagesReachEveryNodeAndEventsMergeTheirStreams() throws Exception {
    long since = System.currentTimeMillis() / 1000;
    assertThat(docker(null, "tag", "berth/busybox:1", "berth/busybox:it").exit()).isZero();
    for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isTrue();
    Path tar = dir.resolve("img.tar");
    DockerCli.Result save = docker(null, "save", "-o", tar.toString(), "berth/busybox:it");
    assertThat(save.exit()).as(save.err()).isZero();
    DockerCli.Result rmi = docker(null, "rmi", "berth/busybox:it");
    assertThat(rmi.out()).contains("Untagged: berth/busybox:it");
    for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isFalse();
    DockerCli.Result load = docker(null, "load", "-i", tar.toString());
    assertThat(load.out()).as(load.err()).contains("Loaded image: berth/busybox:it");
    for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isTrue();
    assertThat(docker(null, "image", "inspect", "-f", "{{.Id}}", "berth/busybox:it").out()).startsWith("sha256:");
    assertThat(docker(null, "rmi", "nosuch:1").err()).contains("No such image: nosuch:1");

    docker(null, "run", "--name", "once", "berth/busybox:1", "true");
    DockerCli.Result events = docker(null, "events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
        "--format", "{{.Type}} {{.Action}}");
    assertThat(events.out().lines().toList()).contains("image load", "container start", "container die");
    DockerCli.Result prune = docker(null, "container", "prune", "-f");
    assertThat(prune.out()).contains("Deleted Containers:");
    assertThat(docker(null, "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("/once");
    docker(null, "rmi", "berth/busybox:it");
  }

  @Test
  void pushPullAndBuildGoWhereTheyShould() throws Exception {
    // A real registry (Debian's docker-registry, distribution 2.8) on loopback, which engines trust without TLS.
    int port = Ports.free();
    Path config = dir.resolve("registry.yml");
    Files.writeString(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("registry-data")
        + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
    Process registry = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
          return true;
        } catch (IOException e) {
          return false;
        }
      });
      String repo = "127.0.0.1:" + port + "/it/busybox:1";
      assertThat(docker(null, "tag", "berth/busybox:1", repo).exit()).isZero();
      DockerCli.Result push = docker(null, "push", repo);
      assertThat(push.out()).as(push.err()).contains("digest: sha256:");
      assertThat(docker(null, "rmi", repo).exit()).isZero();
      for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage(repo)).as(e.name()).isFalse();
      DockerCli.Result pull = docker(null, "pull", repo);
      assertThat(pull.exit()).as(pull.err()).isZero();
      assertThat(pull.out()).contains("node16: Status: Downloaded newer image", "node17: Status: Downloaded newer image",
          "node18: Status: Downloaded newer image");
      for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage(repo)).as("pull reaches " + e.name()).isTrue();
      DockerCli.Result missing = docker(null, "pull", "127.0.0.1:" + port + "/it/nosuch:1");
      assertThat(missing.exit()).isNotZero();
      assertThat(missing.err()).contains("node16").contains("not found");
      docker(null, "rmi", repo);

      // A build runs on one node: where its base image is, and only there does the new image exist.
      Path context = Files.createDirectories(dir.resolve("build"));
      Files.writeString(context.resolve("Dockerfile"), "FROM berth/busybox:1 AS base\nRUN echo built-by-berth > /built.txt\nFROM base\n");
      DockerCli.Result build = docker(null, "build", "-t", "it/built:1", "--label", "com.docker.swarm.constraints=[\"node==node17\"]",
          context.toString());
      assertThat(build.exit()).as(build.out() + build.err()).isZero();
      assertThat(build.out()).contains("Successfully tagged it/built:1");
      assertThat(cluster.node(17).engine().hasImage("it/built:1")).as("built on node17, as the label asked").isTrue();
      assertThat(cluster.node(16).engine().hasImage("it/built:1")).isFalse();
      assertThat(cluster.node(18).engine().hasImage("it/built:1")).isFalse();
      DockerCli.Result run = docker(null, "run", "--rm", "it/built:1", "cat", "/built.txt");
      assertThat(run.out()).as("the image steers the container to the node that has it").isEqualTo("built-by-berth\n");
      docker(null, "rmi", "it/built:1");
    } finally {
      registry.destroy();
      registry.waitFor();
    }
  }
}

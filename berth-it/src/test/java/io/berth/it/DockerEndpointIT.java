package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI against the manager's Docker endpoint, over three real engines (nodes 16, 17 and
 * 18): the cluster behaves as one engine, containers are named NODE/NAME, and the scheduler's
 * filters decide where each container lands. node17 alone has {@code disk=ssd}; node18 has
 * {@code containerslots=2}, so a test that leaves containers behind can fill it: each test removes
 * what it made.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DockerEndpointIT {
  static LocalEngines engines;
  static Path dir;
  static BerthProcess manager;
  static final List<BerthProcess> agents = new ArrayList<>();
  static String dockerHost;

  @BeforeAll
  static void start() throws Exception {
    engines = LocalEngines.builder().nodes(3).firstNode(16).start();
    dir = Files.createTempDirectory("berth-docker-it");
    int api = Ports.free();
    int cluster = Ports.free();
    int docker = Ports.free();
    dockerHost = "tcp://127.0.0.1:" + docker;
    manager = BerthProcess.start("manager", dir, "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
        "--data", dir.resolve("manager").toString(), "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + cluster,
        "--docker-addr", "127.0.0.1:" + docker);
    manager.awaitLine("berth manager is running", Duration.ofSeconds(30));
    String token = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", dir.resolve("manager").toString()).out().trim();
    for (LocalEngine e : engines.engines()) {
      List<String> join = new ArrayList<>(List.of("join", "--manager", "127.0.0.1:" + cluster, "--token", token,
          "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(),
          "--data", dir.resolve("agent-" + e.name()).toString(), "--label", "disk=" + (e.number() == 17 ? "ssd" : "hdd")));
      if (e.number() == 18) join.addAll(List.of("--label", "containerslots=2"));
      agents.add(BerthProcess.start("agent-" + e.name(), dir, join.toArray(String[]::new)));
    }
    ManagerApi client = new ManagerApi("http://127.0.0.1:" + api, dir.resolve("manager"));
    await().atMost(Duration.ofSeconds(30)).until(() -> client.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dockerHost != null) { // what a failed test left; node17's may be left: the engines go anyway
      docker(null, "rm", "-f", "web", "db", "cache", "app", "p1", "p2", "p3", "ssd1", "slot1", "slot2", "slot3", "elsewhere");
    }
    for (BerthProcess a : agents) a.close();
    if (manager != null) manager.close();
    if (engines != null) engines.close();
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
  void imagesReachEveryNodeAndEventsMergeTheirStreams() throws Exception {
    long since = System.currentTimeMillis() / 1000;
    assertThat(docker(null, "tag", "berth/busybox:1", "berth/busybox:it").exit()).isZero();
    for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isTrue();
    Path tar = dir.resolve("img.tar");
    DockerCli.Result save = docker(null, "save", "-o", tar.toString(), "berth/busybox:it");
    assertThat(save.exit()).as(save.err()).isZero();
    DockerCli.Result rmi = docker(null, "rmi", "berth/busybox:it");
    assertThat(rmi.out()).contains("Untagged: berth/busybox:it");
    for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isFalse();
    DockerCli.Result load = docker(null, "load", "-i", tar.toString());
    assertThat(load.out()).as(load.err()).contains("Loaded image: berth/busybox:it");
    for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage("berth/busybox:it")).as(e.name()).isTrue();
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
      for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage(repo)).as(e.name()).isFalse();
      DockerCli.Result pull = docker(null, "pull", repo);
      assertThat(pull.exit()).as(pull.err()).isZero();
      assertThat(pull.out()).contains("node16: Status: Downloaded newer image", "node17: Status: Downloaded newer image",
          "node18: Status: Downloaded newer image");
      for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage(repo)).as("pull reaches " + e.name()).isTrue();
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
      assertThat(engines.node(17).engine().hasImage("it/built:1")).as("built on node17, as the label asked").isTrue();
      assertThat(engines.node(16).engine().hasImage("it/built:1")).isFalse();
      assertThat(engines.node(18).engine().hasImage("it/built:1")).isFalse();
      DockerCli.Result run = docker(null, "run", "--rm", "it/built:1", "cat", "/built.txt");
      assertThat(run.out()).as("the image steers the container to the node that has it").isEqualTo("built-by-berth\n");
      docker(null, "rmi", "it/built:1");
    } finally {
      registry.destroy();
      registry.waitFor();
    }
  }

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
  void networksAndVolumesExistOnEveryNodeSoComposeWorks() throws Exception {
    assertThat(docker(null, "network", "create", "itnet").exit()).isZero();
    assertThat(docker(null, "volume", "create", "itvol").exit()).isZero();
    List<String> networks = docker(null, "network", "ls", "--format", "{{.Name}}").out().lines().toList();
    assertThat(networks).contains("itnet", "node16/bridge", "node17/bridge", "node18/bridge").containsOnlyOnce("itnet");
    assertThat(docker(null, "volume", "ls", "-q").out().lines().toList()).containsOnlyOnce("itvol");
    assertThat(docker(null, "run", "-d", "--name", "netuser", "--network", "itnet", "-v", "itvol:/data", "-e", "constraint:node==node17",
        "berth/busybox:1", "sleep", "300").exit()).isZero();
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
  void whatHappensOnAnEngineDirectlyReachesTheListingsByItsEvents() throws Exception {
    // The manager answers ps from memory, kept by each engine's event stream: a container made,
    // stopped and removed behind its back, on the engine itself, must still show as it is.
    String node16 = engines.node(16).socket();
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
    for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage("berth/imported:1")).as("import reaches " + e.name()).isTrue();
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

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // kills an agent: runs last
  void aNodeThatDropsIsNamedAndTheRestOfTheClusterStillAnswers() throws Exception {
    assertThat(docker(null, "run", "-d", "--name", "lost", "-e", "constraint:node==node17", "berth/busybox:1", "sleep", "300").exit()).isZero();
    agents.get(1).kill(); // node17's agent; its lease has not expired yet, so the node still counts as ready
    DockerCli.Result logs = docker(null, "logs", "lost");
    assertThat(logs.exit()).isNotZero();
    assertThat(logs.err()).contains("node17 (127.0.0.117:12376)").contains("unreachable");
    DockerCli.Result ps = docker(null, "ps", "--format", "{{.Names}}");
    assertThat(ps.exit()).as(ps.err()).isZero();
    assertThat(ps.out()).doesNotContain("node17/");
    engines.node(17).engine().remove(engines.node(17).engine().inspect("lost").orElseThrow().id(), true);
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

  static DockerCli.Result docker(String stdin, String... args) throws IOException, InterruptedException {
    return DockerCli.run(dockerHost, List.of(), stdin, args);
  }

}

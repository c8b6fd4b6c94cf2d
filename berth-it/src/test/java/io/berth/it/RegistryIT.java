package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The manager's image registry (Debian's docker-registry, distribution 2.8, as the manager's child
 * on 127.0.0.1:5036) behind Berth's token service, driven by the real docker CLI through real
 * engines (nodes 36-38): {@code docker login}, push, pull allowed or denied, a public repository
 * pulled anonymously, an app whose image only the registry has (each node pulls it with a token
 * the manager gave it), {@code berth image} listing and deleting tags, and {@code docker login}
 * against the Docker endpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {
  static final String REGISTRY = "127.0.0.1:5036";
  static LocalEngines engines;
  static Path dir;
  static BerthProcess manager;
  static final List<BerthProcess> agents = new ArrayList<>();
  static ManagerApi api;
  static int apiPort;
  static int dockerPort;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    engines = LocalEngines.builder().nodes(3).firstNode(36).start();
    dir = Files.createTempDirectory("berth-registry-it");
    apiPort = Ports.free();
    int cluster = Ports.free();
    dockerPort = Ports.free();
    manager = BerthProcess.start("manager", dir, "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
        "--data", dir.resolve("manager").toString(), "--api-addr", "127.0.0.1:" + apiPort, "--cluster-addr", "127.0.0.1:" + cluster,
        "--docker-addr", "127.0.0.1:" + dockerPort, "--registry-addr", REGISTRY);
    manager.awaitLine("berth manager is running", Duration.ofSeconds(60));
    admin = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
    api = new ManagerApi("http://127.0.0.1:" + apiPort, dir.resolve("manager"));
    String join = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", dir.resolve("manager").toString()).out().trim();
    for (LocalEngine e : engines.engines()) {
      agents.add(BerthProcess.start("agent-" + e.name(), dir, "join", "--manager", "127.0.0.1:" + cluster, "--token", join,
          "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(),
          "--data", dir.resolve("agent-" + e.name()).toString()));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (manager != null) berth("app", "rm", "regapp");
    for (BerthProcess a : agents) a.close();
    if (manager != null) manager.close();
    if (engines != null) {
      for (LocalEngine e : engines.engines()) {
        for (String tag : List.of("team/app:v1", "team/app:v2", "pub/base:1")) docker(e, null, null, "rmi", "-f", REGISTRY + "/" + tag);
      }
      engines.close();
    }
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api", "http://127.0.0.1:" + apiPort, "--token", admin));
    return BerthProcess.run(Duration.ofSeconds(120), all.toArray(String[]::new));
  }

  /** The docker CLI on an engine, with its own config dir (its logins) per {@code who}; null: none (anonymous). */
  static DockerCli.Result docker(LocalEngine e, String who, String stdin, String... args) throws Exception {
    Path config = dir.resolve("docker-" + (who == null ? "anonymous-" + System.nanoTime() : who));
    Files.createDirectories(config);
    return DockerCli.run("unix://" + e.socket(), List.of("--config", config.toString()), stdin, args);
  }

  static LocalEngine node(int n) {
    return engines.node(n);
  }

  @Test
  @Order(1)
  void dockerLoginChecksBerthsCredentialsAtTheTokenService() throws Exception {
    DockerCli.Result wrong = docker(node(36), "admin", "not-the-token\n", "login", REGISTRY, "-u", "admin", "--password-stdin");
    assertThat(wrong.exit()).as(wrong.out()).isNotZero();
    assertThat(wrong.err()).contains("unauthorized").doesNotContain("not-the-token");
    DockerCli.Result ok = docker(node(36), "admin", admin + "\n", "login", REGISTRY, "-u", "admin", "--password-stdin");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("Login Succeeded");
  }

  @Test
  @Order(2)
  void aSignedInUserPushesAndAnonymousCallersMayNotPullAPrivateRepository() throws Exception {
    assertThat(docker(node(36), "admin", null, "tag", "berth/busybox:1", REGISTRY + "/team/app:v1").exit()).isZero();
    DockerCli.Result push = docker(node(36), "admin", null, "push", REGISTRY + "/team/app:v1");
    assertThat(push.exit()).as(push.err()).isZero();
    assertThat(push.out()).contains("v1: digest: sha256:");

    DockerCli.Result anonymous = docker(node(37), null, null, "pull", REGISTRY + "/team/app:v1");
    assertThat(anonymous.exit()).isNotZero();
    assertThat(anonymous.err()).containsAnyOf("denied", "unauthorized");
    DockerCli.Result anonymousPush = docker(node(37), null, null, "tag", "berth/busybox:1", REGISTRY + "/team/app:anon");
    assertThat(anonymousPush.exit()).isZero();
    DockerCli.Result refused = docker(node(37), null, null, "push", REGISTRY + "/team/app:anon");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).containsAnyOf("denied", "unauthorized");
    docker(node(37), null, null, "rmi", REGISTRY + "/team/app:anon");
  }

  @Test
  @Order(3)
  void berthImageListsRepositoriesAndTags() throws Exception {
    BerthProcess.Result ls = berth("image", "ls");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out()).containsPattern("team/app\\s+private\\s+v1");
    BerthProcess.Result tags = berth("image", "tags", "team/app");
    assertThat(tags.exit()).as(tags.err()).isZero();
    assertThat(tags.out()).containsPattern("v1\\s+sha256:[0-9a-f]{64}\\s+[0-9.]+[kM]B");
    assertThat(berth("image", "tags", "team/nothing").err()).contains("no such repository (or it has no tags): team/nothing");
  }

  @Test
  @Order(4)
  void aPublicRepositoryIsPulledAnonymously() throws Exception {
    assertThat(docker(node(36), "admin", null, "tag", "berth/busybox:1", REGISTRY + "/pub/base:1").exit()).isZero();
    assertThat(docker(node(36), "admin", null, "push", REGISTRY + "/pub/base:1").exit()).isZero();
    assertThat(docker(node(38), null, null, "pull", REGISTRY + "/pub/base:1").exit()).as("private until made public").isNotZero();
    BerthProcess.Result pub = berth("image", "visibility", "pub/base", "public");
    assertThat(pub.exit()).as(pub.err()).isZero();
    DockerCli.Result pull = docker(node(38), null, null, "pull", REGISTRY + "/pub/base:1");
    assertThat(pull.exit()).as(pull.err()).isZero();
    assertThat(berth("image", "ls").out()).containsPattern("pub/base\\s+public\\s+1");
  }

  @Test
  @Order(5)
  void everyNodePullsAPrivateImageForAnAppWithATokenFromTheManager() throws Exception {
    for (int n : List.of(37, 38)) assertThat(node(n).engine().hasImage(REGISTRY + "/team/app:v1")).as("node%d", n).isFalse();
    docker(node(36), "admin", null, "rmi", REGISTRY + "/team/app:v1"); // node36 too must pull it
    Path manifest = Files.writeString(dir.resolve("regapp.yml"), """
        name: regapp
        image: %s/team/app:v1
        command: [sleep, "3600"]
        instances: 3
        memory: 16m
        """.formatted(REGISTRY));
    BerthProcess.Result deploy = berth("app", "deploy", "-f", manifest.toString());
    assertThat(deploy.exit()).as(deploy.out() + deploy.err()).isZero();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(berth("app", "ps", "regapp").out().lines().filter(l -> l.contains("RUNNING")).count()).isEqualTo(3));
    for (LocalEngine e : engines.engines()) assertThat(e.engine().hasImage(REGISTRY + "/team/app:v1")).as(e.name()).isTrue();
  }

  @Test
  @Order(6)
  void deletingATagDeletesItsManifestWithEveryTagOnTheSameDigest() throws Exception {
    assertThat(docker(node(36), "admin", null, "tag", "berth/busybox:1", REGISTRY + "/team/app:v2").exit()).isZero();
    assertThat(docker(node(36), "admin", null, "push", REGISTRY + "/team/app:v2").exit()).isZero();
    BerthProcess.Result rm = berth("image", "rm", "team/app:v2");
    assertThat(rm.exit()).as(rm.err()).isZero();
    assertThat(rm.out()).matches("deleted sha256:[0-9a-f]{64} from team/app: tags v1, v2\\n");
    assertThat(berth("image", "tags", "team/app").err()).contains("no such repository (or it has no tags): team/app");
    assertThat(berth("image", "rm", "team/app:v2").err()).contains("no tag v2 in repository team/app");
  }

  @Test
  @Order(7)
  void dockerLoginThroughTheDockerEndpointChecksBerthsCredentials() throws Exception {
    Path config = Files.createDirectories(dir.resolve("docker-endpoint"));
    String host = "tcp://127.0.0.1:" + dockerPort;
    DockerCli.Result ok = DockerCli.run(host, List.of("--config", config.toString()), admin + "\n",
        "login", REGISTRY, "-u", "admin", "--password-stdin");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("Login Succeeded");
    DockerCli.Result wrong = DockerCli.run(host, List.of("--config", config.toString()), "wrong\n",
        "login", REGISTRY, "-u", "admin", "--password-stdin");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("wrong user name or password");
  }
}

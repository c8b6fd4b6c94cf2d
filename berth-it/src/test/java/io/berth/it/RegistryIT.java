package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.engine.LocalEngine;
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
 * engines (nodes 36-38): {@code docker login}, push, pull allowed or denied by role, a public repository
 * pulled anonymously, an app whose image only the registry has (each node pulls it with a token
 * the manager gave it), {@code berth image} listing and deleting tags, and {@code docker login}
 * against the Docker endpoint.
 */
@RegistryCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryIT {
  static final String REGISTRY = RegistryCluster.REGISTRY;
  static Cluster cluster;
  static Path dir;
  static ManagerApi api;
  static int apiPort;
  static int dockerPort;
  static String admin;

  @BeforeAll
  static void useCluster(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-registry-it");
    apiPort = c.apiPort();
    dockerPort = c.dockerPort();
    admin = c.adminToken();
    api = c.api();
  }

  /** What this class made: its app (when a test failed before removing it) and the tags it pushed or pulled. */
  @AfterAll
  static void clean() throws Exception {
    berth("app", "rm", "regapp");
    for (LocalEngine e : cluster.engines()) {
      for (String tag : List.of("team/app:v1", "team/app:v2", "team/app:v3", "pub/base:1")) docker(e, null, null, "rmi", "-f", REGISTRY + "/" + tag);
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

  /** Calls the Berth API as {@code user} (Basic auth with their password; null: the admin token); the status and body. */
  static java.net.http.HttpResponse<String> call(String user, String method, String path, String json) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + apiPort + path))
        .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(json))
        .header("Authorization", user == null ? "Bearer " + admin
            : "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    if (json != null) b.header("Content-Type", "application/json");
    return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  static void login(LocalEngine e, String user) throws Exception {
    DockerCli.Result r = docker(e, user, user + "-password\n", "login", REGISTRY, "-u", user, "--password-stdin");
    assertThat(r.exit()).as(user + ": " + r.err()).isZero();
  }

  static LocalEngine node(int n) {
    return cluster.node(n);
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
  void pullAndPushFollowEachUsersRoleOnTheRepositoryAndItsGroup() throws Exception {
    for (String u : List.of("alice", "bob", "carol")) {
      var r = call(null, "POST", "/v1/users", "{\"name\": \"" + u + "\", \"password\": \"" + u + "-password\"}");
      assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }
    assertThat(call(null, "PUT", "/v1/members/group/team/alice", "{\"role\": \"developer\"}").statusCode()).isEqualTo(200);
    assertThat(call(null, "PUT", "/v1/members/repo/team%2Fapp/bob", "{\"role\": \"reporter\"}").statusCode()).isEqualTo(200);
    for (String u : List.of("alice", "bob", "carol")) login(node(37), u);

    DockerCli.Result carol = docker(node(37), "carol", null, "pull", REGISTRY + "/team/app:v1");
    assertThat(carol.exit()).as("carol is no member").isNotZero();
    assertThat(carol.err()).containsAnyOf("denied", "unauthorized");
    DockerCli.Result bob = docker(node(37), "bob", null, "pull", REGISTRY + "/team/app:v1");
    assertThat(bob.exit()).as(bob.err()).isZero();
    assertThat(docker(node(37), "bob", null, "tag", REGISTRY + "/team/app:v1", REGISTRY + "/team/app:v3").exit()).isZero();
    DockerCli.Result bobPush = docker(node(37), "bob", null, "push", REGISTRY + "/team/app:v3");
    assertThat(bobPush.exit()).as("a reporter may not push").isNotZero();
    assertThat(bobPush.err()).contains("denied");
    DockerCli.Result alicePush = docker(node(37), "alice", null, "push", REGISTRY + "/team/app:v3");
    assertThat(alicePush.exit()).as("a developer of the group pushes: " + alicePush.err()).isZero();

    // A new repository in her group: alice creates it and owns it; a new group: carol creates both.
    assertThat(docker(node(37), "alice", null, "tag", "berth/busybox:1", REGISTRY + "/team/new:1").exit()).isZero();
    assertThat(docker(node(37), "alice", null, "push", REGISTRY + "/team/new:1").exit()).isZero();
    assertThat(call(null, "GET", "/v1/members/repo/team%2Fnew", null).body()).contains("\"user\":\"alice\"", "\"role\":\"owner\"");
    assertThat(docker(node(37), "carol", null, "tag", "berth/busybox:1", REGISTRY + "/carols/tool:1").exit()).isZero();
    DockerCli.Result carolPush = docker(node(37), "carol", null, "push", REGISTRY + "/carols/tool:1");
    assertThat(carolPush.exit()).as(carolPush.err()).isZero();
    assertThat(call(null, "GET", "/v1/members/group/carols", null).body()).contains("\"user\":\"carol\"", "\"role\":\"owner\"");
    assertThat(docker(node(37), "bob", null, "tag", "berth/busybox:1", REGISTRY + "/carols/bobs:1").exit()).isZero();
    assertThat(docker(node(37), "bob", null, "push", REGISTRY + "/carols/bobs:1").exit()).as("carols has members now").isNotZero();

    // The API: each sees what they belong to; a reporter may not delete a tag; pushes are audited.
    assertThat(call("carol", "GET", "/v1/images", null).body()).contains("carols/tool").doesNotContain("team/app");
    assertThat(call("bob", "GET", "/v1/images", null).body()).contains("team/app").doesNotContain("carols/tool");
    var denied = call("bob", "DELETE", "/v1/images/team%2Fapp/tags/v1", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("bob");
    assertThat(call(null, "GET", "/v1/audit?user=alice", null).body()).contains("registry token", "repository:team/app:pull,push");
    for (String ref : List.of("team/app:v1", "team/app:v3", "team/new:1", "carols/tool:1", "carols/bobs:1")) {
      docker(node(37), null, null, "rmi", REGISTRY + "/" + ref);
    }
  }

  @Test
  @Order(4)
  void berthImageListsRepositoriesAndTags() throws Exception {
    BerthProcess.Result ls = berth("image", "ls");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out()).containsPattern("team/app\\s+private\\s+v1,v3");
    BerthProcess.Result tags = berth("image", "tags", "team/app");
    assertThat(tags.exit()).as(tags.err()).isZero();
    assertThat(tags.out()).containsPattern("v1\\s+sha256:[0-9a-f]{64}\\s+[0-9.]+[kM]B").containsPattern("v3\\s+sha256:");
    assertThat(berth("image", "tags", "team/nothing").err()).contains("no such repository (or it has no tags): team/nothing");
  }

  @Test
  @Order(5)
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
  @Order(6)
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
    for (LocalEngine e : cluster.engines()) assertThat(e.engine().hasImage(REGISTRY + "/team/app:v1")).as(e.name()).isTrue();
  }

  @Test
  @Order(7)
  void deletingATagDeletesItsManifestWithEveryTagOnTheSameDigest() throws Exception {
    assertThat(docker(node(36), "admin", null, "tag", "berth/busybox:1", REGISTRY + "/team/app:v2").exit()).isZero();
    assertThat(docker(node(36), "admin", null, "push", REGISTRY + "/team/app:v2").exit()).isZero();
    BerthProcess.Result rm = berth("image", "rm", "team/app:v2");
    assertThat(rm.exit()).as(rm.err()).isZero();
    assertThat(rm.out()).matches("deleted sha256:[0-9a-f]{64} from team/app: tags v1, v2, v3\\n");
    assertThat(berth("image", "tags", "team/app").err()).contains("no such repository (or it has no tags): team/app");
    assertThat(berth("image", "ls").out()).as("the catalog keeps it, with no tags").containsPattern("team/app\\s+private\\s+-\\n");
    assertThat(berth("image", "rm", "team/app:v2").err()).contains("no tag v2 in repository team/app");
  }

  @Test
  @Order(8)
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

    // The CLI's saved credentials travel with a push through the manager to the node's engine, and on to the token service.
    List<String> flags = List.of("--config", config.toString());
    assertThat(DockerCli.run(host, flags, null, "tag", "berth/busybox:1", REGISTRY + "/team/endpoint:1").exit()).isZero();
    DockerCli.Result push = DockerCli.run(host, flags, null, "push", REGISTRY + "/team/endpoint:1");
    assertThat(push.exit()).as(push.err()).isZero();
    assertThat(berth("image", "tags", "team/endpoint").out()).contains("1 ");
    DockerCli.Result anonymous = DockerCli.run(host, List.of("--config", Files.createDirectories(dir.resolve("docker-endpoint-anon")).toString()),
        null, "push", REGISTRY + "/team/endpoint:1");
    assertThat(anonymous.exit()).as("no login: no push").isNotZero();
    DockerCli.run(host, flags, null, "rmi", REGISTRY + "/team/endpoint:1");
  }

  @Test
  @Order(9)
  void aSecondManagerOnTheSameRegistryAddressSaysSoInOneSentence() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    BerthProcess.Result r = BerthProcess.run(Duration.ofSeconds(90), "manage", "--store", "sqlite://" + other.resolve("berth.db"),
        "--data", other.resolve("manager").toString(), "--api-addr", "127.0.0.1:" + Ports.free(), "--cluster-addr", "127.0.0.1:" + Ports.free(),
        "--docker-addr", "127.0.0.1:" + Ports.free(), "--registry-addr", REGISTRY);
    assertThat(r.exit()).isNotZero();
    assertThat(r.out() + r.err()).contains("cannot run the image registry on 127.0.0.1:5036: the address is in use");
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Client bundles with the real docker CLI: a manager with {@code --docker-tls} over three engines,
 * {@code berth bundle} for alice, bob and the administrator, and docker pointed at the manager by
 * each bundle's env.sh (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). Alice's container is
 * hers: bob cannot see, exec in or stop it; the administrator can; a revoked bundle is refused.
 */
@BerthCluster(nodes = 3, firstNode = 39, managerArgs = "--docker-tls")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleIT {
  static Cluster cluster;
  static Path dir;
  static String api;

  @BeforeAll
  static void start(Cluster c) throws Exception {
    cluster = c;
    dir = Files.createTempDirectory("berth-bundle-it");
    api = c.apiUrl();
    for (String user : List.of("alice", "bob")) {
      createUser(user);
      BerthProcess.Result b = berth("bundle", "--user", user, "-o", dir.resolve(user).toString());
      assertThat(b.exit()).as(b.err()).isZero();
    }
    BerthProcess.Result admin = berth("bundle", "-o", dir.resolve("admin").toString());
    assertThat(admin.exit()).as(admin.err()).isZero();
    // The cache of every node in step before the first command reads it.
    await().atMost(Duration.ofSeconds(60)).until(() -> docker("admin", "info", "--format", "{{.Containers}}").exit() == 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dir != null && Files.exists(dir.resolve("admin/env.sh"))) docker("admin", "rm", "-f", "alice-web");
  }

  @Test
  @Order(1)
  void aBundleIsTheCaTheCertificateItsKeyForItsOwnerAndAnEnvFile() throws Exception {
    Path alice = dir.resolve("alice");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(alice.resolve("key.pem")))).isEqualTo("rw-------");
    Map<String, String> env = env("alice");
    assertThat(env).containsEntry("DOCKER_TLS_VERIFY", "1").containsEntry("DOCKER_CERT_PATH", alice.toString());
    assertThat(env.get("DOCKER_HOST")).startsWith("tcp://127.0.0.1:");
    assertThat(docker(null, "version").exit()).as("no bundle, no entry: the endpoint wants a client certificate").isNotZero();
  }

  @Test
  @Order(2)
  void aliceRunsAContainerBobCannotSeeExecInOrStopIt() throws Exception {
    DockerCli.Result run = docker("alice", "run", "-d", "--name", "alice-web", "berth/busybox:1", "sleep", "300");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(docker("alice", "ps", "--format", "{{.Names}}").out()).contains("alice-web");
    assertThat(docker("alice", "exec", "alice-web", "echo", "mine").out()).isEqualTo("mine\n");

    assertThat(docker("bob", "ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("alice-web");
    DockerCli.Result exec = docker("bob", "exec", "alice-web", "echo", "hers");
    assertThat(exec.exit()).isNotZero();
    assertThat(exec.err()).contains("No such container: alice-web");
    DockerCli.Result stop = docker("bob", "stop", "alice-web");
    assertThat(stop.exit()).isNotZero();
    assertThat(stop.err()).contains("No such container: alice-web");
    assertThat(docker("bob", "inspect", "alice-web").exit()).isNotZero();
    DockerCli.Result host = docker("bob", "run", "--rm", "-v", "/:/host", "berth/busybox:1", "true");
    assertThat(host.exit()).isNotZero();
    assertThat(host.err()).contains("bob may not use HostConfig.Binds (/)");
  }

  @Test
  @Order(3)
  void theAdministratorSeesAndTouchesEveryContainer() throws Exception {
    assertThat(docker("admin", "ps", "--format", "{{.Names}}").out()).contains("alice-web");
    assertThat(docker("admin", "inspect", "-f", "{{index .Config.Labels \"io.berth.owner\"}}", "alice-web").out().strip()).isEqualTo("alice");
    assertThat(docker("admin", "exec", "alice-web", "echo", "admin").out()).isEqualTo("admin\n");
    DockerCli.Result stop = docker("admin", "stop", "-t", "1", "alice-web");
    assertThat(stop.exit()).as(stop.err()).isZero();
    assertThat(docker("alice", "ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").out()).contains("alice-web");
  }

  @Test
  @Order(4)
  void aRevokedBundleIsRefused() throws Exception {
    assertThat(docker("bob", "ps").exit()).isZero();
    String serial = Files.readString(dir.resolve("bob/env.sh")).lines().findFirst().orElseThrow().split(" ")[3];
    BerthProcess.Result revoke = berth("bundle", "revoke", serial);
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    DockerCli.Result refused = docker("bob", "ps");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("bundle " + serial + " of bob was revoked");
    assertThat(berth("bundle", "ls").out()).containsPattern(serial + "\\s+bob\\s+.*revoked");
    assertThat(docker("alice", "ps").exit()).as("alice's bundle is still good").isZero();
  }

  /** docker with the bundle of {@code who}'s env.sh (null: the endpoint's address, no bundle). */
  static DockerCli.Result docker(String who, String... args) throws Exception {
    Map<String, String> env = who == null ? Map.of("DOCKER_HOST", env("alice").get("DOCKER_HOST")) : env(who);
    return DockerCli.withEnv(env, null, args);
  }

  /** The variables an env.sh exports. */
  static Map<String, String> env(String who) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve(who).resolve("env.sh"))) {
      if (!line.startsWith("export ")) continue;
      String kv = line.substring("export ".length());
      env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1).replaceAll("^'|'$", ""));
    }
    return env;
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data", cluster.managerData().toString()));
    return BerthProcess.run(Duration.ofSeconds(60), all.toArray(String[]::new));
  }

  /** Makes the user when the manager keeps users (POST /v1/users); a manager that keeps none takes a bundle's name as it is. */
  static void createUser(String name) throws Exception {
    String token = Files.readString(cluster.managerData().resolve("admin.token")).trim();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/users")).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"password\":\"" + name + "-Secret-123\",\"admin\":false}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isIn(200, 201, 404, 409);
    }
  }
}

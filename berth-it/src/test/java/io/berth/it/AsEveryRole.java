package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import io.berth.engine.LocalEngine;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * The people of the permission ITs on their {@link MatrixCluster}: a user for each role (and one
 * extra), signed in, each with a client bundle and a registry login, made once per cluster; and the
 * interfaces a user acts through — the berth CLI, the Docker endpoint with the user's bundle, the
 * docker CLI against the registry, the Berth API.
 */
abstract class AsEveryRole {
  static final String REGISTRY = "127.0.0.1:5042";
  static final List<String> ROLES = List.of("guest", "reporter", "developer", "master", "owner");
  static Cluster cluster;
  static LocalEngine node;
  static Path dir;
  static int apiPort;
  static int dockerPort;
  static String admin;
  static final Map<String, String> tokens = new LinkedHashMap<>();
  static final HttpClient http = HttpClient.newHttpClient();
  /** The cluster whose users are made: the next class on it uses them. */
  private static Cluster made;

  @BeforeAll
  static void makeUsers(Cluster c) throws Exception {
    if (made == c) return;
    cluster = c;
    node = c.node(42);
    dir = Files.createTempDirectory("berth-matrix-it");
    apiPort = c.apiPort();
    dockerPort = c.dockerPort();
    admin = c.adminToken();
    tokens.put("admin", admin);
    for (String u : users()) {
      assertThat(berthAs("admin", "user", "create", u, "--password-stdin").withStdin(password(u)).exit()).isZero();
      HttpResponse<String> login = api(null, "POST", "/v1/login", "{\"user\":\"" + u + "\",\"password\":\"" + password(u) + "\"}");
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      tokens.put(u, Json.MAPPER.readTree(login.body()).path("token").asText());
    }
    for (String u : tokens.keySet()) {
      BerthProcess.Result b = berthAs(u, "bundle", "-o", dir.resolve("bundle-" + u).toString()).run();
      assertThat(b.exit()).as(b.err()).isZero();
      DockerCli.Result login = registry(u, u.equals("admin") ? admin + "\n" : password(u) + "\n", "login", REGISTRY, "-u", u,
          "--password-stdin");
      assertThat(login.exit()).as(login.err()).isZero();
    }
    made = c;
  }

  static List<String> users() {
    List<String> out = new ArrayList<>();
    for (String r : ROLES) if (!r.equals("owner")) out.add("u-" + r);
    out.add("u-owner");
    out.add("u-extra");
    return out;
  }

  static String password(String user) {
    return "pw-" + user + "-12345";
  }

  /** A berth CLI call as {@code user} (their token), optionally fed {@code stdin}. */
  record Cli(String user, List<String> args, String stdin) {
    Cli withStdin(String s) {
      return new Cli(user, args, s);
    }

    BerthProcess.Result run() throws Exception {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of("--api", "http://127.0.0.1:" + apiPort, "--token", tokens.get(user)));
      return BerthProcess.runWithStdin(Duration.ofSeconds(180), stdin, all.toArray(String[]::new));
    }

    int exit() throws Exception {
      return run().exit();
    }
  }

  static Cli berthAs(String user, String... args) {
    return new Cli(user, List.of(args), null);
  }

  /** The docker CLI through the manager's Docker endpoint with {@code user}'s client bundle. */
  static DockerCli.Result endpoint(String user, String stdin, String... args) throws Exception {
    Path b = dir.resolve("bundle-" + user);
    return DockerCli.run("tcp://127.0.0.1:" + dockerPort, List.of("--tlsverify", "--tlscacert", b.resolve("ca.pem").toString(),
        "--tlscert", b.resolve("cert.pem").toString(), "--tlskey", b.resolve("key.pem").toString()), stdin, args);
  }

  /** The docker CLI on the node's engine with {@code user}'s registry login (their own config dir). */
  static DockerCli.Result registry(String user, String stdin, String... args) throws Exception {
    Path config = dir.resolve("docker-" + user);
    Files.createDirectories(config);
    return DockerCli.run("unix://" + node.socket(), List.of("--config", config.toString()), stdin, args);
  }

  static HttpResponse<String> api(String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Path manifest(String env) throws Exception {
    return manifest("mx", env);
  }

  static Path manifest(String app, String env) throws Exception {
    return Files.writeString(dir.resolve(app + "-" + env + ".yml"), """
        name: %s
        image: berth/busybox:1
        command: [/bin/sh, -c, "echo serving; exec httpd -f -p 8080"]
        instances: 1
        memory: 16m
        env: {WHO: %s}
        ports: [8080]
        deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 0s}
        """.formatted(app, env));
  }

  /** One real node (42), the manager on SQLite with the registry on 127.0.0.1:5042 and the Docker endpoint over TLS. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @BerthCluster(nodes = 1, firstNode = 42, managerArgs = {"--docker-tls", "--registry-addr", AsEveryRole.REGISTRY})
  @interface MatrixCluster {}
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
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
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks the whole permission matrix of docs/permissions.md: for every kind of resource, every
 * action and every role, a user with exactly that role takes the action through the interface a
 * user would — the berth CLI, the Docker endpoint with the user's client bundle, the real docker
 * CLI against the registry, the Berth API — and the outcome (done, or refused with a 401/403)
 * must be the document's cell. A cell that differs, or an outcome that is neither (a 500, a
 * conflict), fails the test with every such cell listed. One real node (42), the manager on
 * SQLite with the registry on 127.0.0.1:5042 and the Docker endpoint over TLS.
 */
class PermissionMatrixIT {
  static final String REGISTRY = "127.0.0.1:5042";
  static final List<String> ROLES = List.of("guest", "reporter", "developer", "master", "owner");
  static LocalEngines engines;
  static LocalEngine node;
  static Path dir;
  static BerthProcess manager;
  static BerthProcess agent;
  static int apiPort;
  static int dockerPort;
  static String admin;
  static final Map<String, String> tokens = new LinkedHashMap<>();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    engines = LocalEngines.builder().nodes(1).firstNode(42).start();
    node = engines.node(42);
    dir = Files.createTempDirectory("berth-matrix-it");
    apiPort = Ports.free();
    int cluster = Ports.free();
    dockerPort = Ports.free();
    manager = BerthProcess.start("manager", dir, "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
        "--data", dir.resolve("manager").toString(), "--api-addr", "127.0.0.1:" + apiPort, "--cluster-addr", "127.0.0.1:" + cluster,
        "--docker-addr", "127.0.0.1:" + dockerPort, "--docker-tls", "--registry-addr", REGISTRY);
    manager.awaitLine("berth manager is running", Duration.ofSeconds(60));
    admin = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
    tokens.put("admin", admin);
    String join = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", dir.resolve("manager").toString()).out().trim();
    agent = BerthProcess.start("agent", dir, "join", "--manager", "127.0.0.1:" + cluster, "--token", join,
        "--advertise", node.address() + ":12376", "--engine", node.socket(), "--name", node.name(),
        "--data", dir.resolve("agent").toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> api(admin, "GET", "/v1/nodes", null).body().contains("\"ready\""));
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
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) agent.close();
    if (manager != null) manager.close();
    if (engines != null) engines.close();
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

  // ---- the interfaces ----

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

  // ---- outcomes ----

  enum Outcome { ALLOWED, DENIED }

  /** One observation: what happened, and the words that show it (for a failure's message). */
  record Seen(Outcome outcome, String evidence) {}

  static final List<String> DENIALS = List.of("(HTTP 401)", "(HTTP 403)", "denied", "unauthorized", "may not", "is not a member",
      "needs ", "sign in first", "No such container");

  static Seen cli(BerthProcess.Result r) {
    return judge(r.exit(), r.out() + r.err());
  }

  static Seen docker(DockerCli.Result r) {
    return judge(r.exit(), r.out() + r.err());
  }

  static Seen judge(int exit, String text) {
    if (exit == 0) return new Seen(Outcome.ALLOWED, text);
    for (String d : DENIALS) if (text.contains(d)) return new Seen(Outcome.DENIED, text);
    return new Seen(null, "exit " + exit + ": " + text);
  }

  static Seen http(HttpResponse<String> r) {
    if (r.statusCode() < 300) return new Seen(Outcome.ALLOWED, r.body());
    if (r.statusCode() == 401 || r.statusCode() == 403) return new Seen(Outcome.DENIED, r.body());
    return new Seen(null, r.statusCode() + " " + r.body());
  }

  /** A listing that shows the resource (allowed) or leaves it out (denied). */
  static Seen listed(int exit, String text, String name) {
    if (exit != 0) return judge(exit, text);
    return new Seen(text.contains(name) ? Outcome.ALLOWED : Outcome.DENIED, text);
  }

  @FunctionalInterface
  interface Step {
    List<Seen> take(String role, String user) throws Exception;
  }

  final List<String> differences = new ArrayList<>();
  final Map<String, Map<String, List<Boolean>>> doc = documented();

  /** Takes {@code action} on {@code kind} as each role, weakest first (so an owner's delete comes last), and compares with the document. */
  void walk(String kind, String action, Step step) throws Exception {
    List<Boolean> expected = doc.get(kind).get(action);
    assertThat(expected).as("docs/permissions.md has %s %s", kind, action).isNotNull();
    for (String role : ROLES) {
      boolean yes = expected.get(4 - ROLES.indexOf(role)); // the document's columns run owner … guest
      for (Seen s : step.take(role, "u-" + role)) {
        Outcome want = yes ? Outcome.ALLOWED : Outcome.DENIED;
        if (s.outcome() != want) {
          differences.add(kind + " " + action + " by " + role + ": expected " + want + ", got " + s.outcome() + " — "
              + s.evidence().strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
        }
      }
    }
  }

  /** kind → action → yes/no per column (owner, master, developer, reporter, guest), as docs/permissions.md has them. */
  static Map<String, Map<String, List<Boolean>>> documented() {
    Map<String, Map<String, List<Boolean>>> out = new LinkedHashMap<>();
    String kind = null;
    try {
      for (String line : Files.readAllLines(Path.of("..", "docs", "permissions.md"))) {
        if (line.startsWith("## ")) kind = null;
        if (line.startsWith("### ")) out.put(kind = line.substring(4).trim(), new LinkedHashMap<>());
        String[] c = line.split("\\|");
        if (kind == null || c.length < 7 || line.startsWith("| action") || line.startsWith("| ---")) continue;
        List<Boolean> yes = new ArrayList<>();
        for (int i = 2; i < 7; i++) yes.add(c[i].trim().equals("yes"));
        out.get(kind).put(c[1].trim(), yes);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read docs/permissions.md", e);
    }
    return out;
  }

  void addMembers(String kindFlag, String name) throws Exception {
    for (String role : ROLES) {
      if (role.equals("owner")) continue;
      BerthProcess.Result r = berthAs("u-owner", "member", "add", kindFlag, name, "u-" + role, role).run();
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  /** Adds and removes u-extra as a guest: what {@code members} allows. */
  List<Seen> members(String user, String kindFlag, String name) throws Exception {
    Seen add = cli(berthAs(user, "member", "add", kindFlag, name, "u-extra", "guest").run());
    if (add.outcome() != Outcome.ALLOWED) return List.of(add);
    return List.of(add, cli(berthAs(user, "member", "rm", kindFlag, name, "u-extra").run()));
  }

  static String appContainer() throws Exception {
    DockerCli.Result ps = endpoint("admin", null, "ps", "-q", "--filter", "label=io.berth.process-guid");
    assertThat(ps.exit()).as(ps.err()).isZero();
    return ps.out().lines().findFirst().orElseThrow(() -> new AssertionError("no app container: " + ps.out()));
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

  @Test
  void everyCellOfThePermissionMatrix() throws Exception {
    // ---- app: the CLI, and the Docker endpoint for its containers ----
    BerthProcess.Result first = berthAs("u-owner", "app", "deploy", "-f", manifest("first").toString()).run();
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    addMembers("--app", "mx");
    walk("app", "view", (role, u) -> {
      BerthProcess.Result r = berthAs(u, "app", "ls").run();
      return List.of(listed(r.exit(), r.out() + r.err(), "mx"));
    });
    walk("app", "read", (role, u) -> List.of(cli(berthAs(u, "app", "status", "mx").run()),
        docker(endpoint(u, null, "logs", appContainer()))));
    walk("app", "exec", (role, u) -> List.of(docker(endpoint(u, null, "exec", appContainer(), "true"))));
    walk("app", "deploy", (role, u) -> List.of(cli(berthAs(u, "app", "deploy", "-f", manifest(role).toString()).run())));
    walk("app", "scale", (role, u) -> List.of(cli(berthAs(u, "app", "scale", "mx", "1").run())));
    walk("app", "members", (role, u) -> members(u, "--app", "mx"));
    walk("app", "delete", (role, u) -> List.of(cli(berthAs(u, "app", "rm", "mx").run())));

    // ---- repo: the registry with each user's docker login, and berth image ----
    for (String role : ROLES) distinctImage("mxr/img:d-" + role, role);
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxr/img:v1").exit()).isZero();
    DockerCli.Result pushed = registry("u-owner", null, "push", REGISTRY + "/mxr/img:v1");
    assertThat(pushed.exit()).as(pushed.err()).isZero();
    for (String role : ROLES) assertThat(registry("u-owner", null, "push", REGISTRY + "/mxr/img:d-" + role).exit()).isZero();
    addMembers("--repo", "mxr/img");
    walk("repo", "view", (role, u) -> {
      BerthProcess.Result r = berthAs(u, "image", "ls").run();
      return List.of(listed(r.exit(), r.out() + r.err(), "mxr/img"));
    });
    walk("repo", "pull", (role, u) -> List.of(docker(registry(u, null, "pull", REGISTRY + "/mxr/img:v1")),
        cli(berthAs(u, "image", "tags", "mxr/img").run())));
    walk("repo", "push", (role, u) -> {
      registry(u, null, "tag", "berth/busybox:1", REGISTRY + "/mxr/img:p-" + role);
      return List.of(docker(registry(u, null, "push", REGISTRY + "/mxr/img:p-" + role)));
    });
    walk("repo", "delete-tag", (role, u) -> List.of(cli(berthAs(u, "image", "rm", "mxr/img:d-" + role).run())));
    walk("repo", "visibility", (role, u) -> List.of(cli(berthAs(u, "image", "visibility", "mxr/img", "private").run())));
    walk("repo", "members", (role, u) -> members(u, "--repo", "mxr/img"));

    // ---- group: a role on the group reaches every repository in it, and new ones ----
    for (String role : ROLES) distinctImage("mxg/base:d-" + role, role);
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxg/base:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxg/base:v1").exit()).isZero();
    for (String role : ROLES) assertThat(registry("u-owner", null, "push", REGISTRY + "/mxg/base:d-" + role).exit()).isZero();
    addMembers("--group", "mxg");
    walk("group", "view", (role, u) -> List.of(cli(berthAs(u, "member", "ls", "--group", "mxg").run())));
    walk("group", "pull", (role, u) -> List.of(docker(registry(u, null, "pull", REGISTRY + "/mxg/base:v1"))));
    walk("group", "push", (role, u) -> {
      registry(u, null, "tag", "berth/busybox:1", REGISTRY + "/mxg/new-" + role + ":v1");
      return List.of(docker(registry(u, null, "push", REGISTRY + "/mxg/new-" + role + ":v1")));
    });
    walk("group", "delete-tag", (role, u) -> List.of(cli(berthAs(u, "image", "rm", "mxg/base:d-" + role).run())));
    walk("group", "members", (role, u) -> members(u, "--group", "mxg"));

    // ---- build: docker build through the Docker endpoint, its record through the API ----
    DockerCli.Result built = endpoint("u-owner", "FROM berth/busybox:1\nLABEL by=owner\n", "build", "-t", REGISTRY + "/mxb:v1", "-");
    assertThat(built.exit()).as(built.err()).isZero();
    addMembers("--build", "mxb");
    walk("build", "view", (role, u) -> {
      HttpResponse<String> r = api(tokens.get(u), "GET", "/v1/builds", null);
      return List.of(listed(r.statusCode() == 200 ? 0 : 1, r.body(), "\"mxb\""));
    });
    walk("build", "read", (role, u) -> List.of(http(api(tokens.get(u), "GET", "/v1/builds/mxb", null))));
    walk("build", "run", (role, u) -> List.of(docker(endpoint(u, "FROM berth/busybox:1\nLABEL by=" + role + "\n",
        "build", "-t", REGISTRY + "/mxb:" + role, "-"))));
    walk("build", "members", (role, u) -> members(u, "--build", "mxb"));
    walk("build", "delete", (role, u) -> List.of(http(api(tokens.get(u), "DELETE", "/v1/builds/mxb", null))));

    assertThat(differences).as("cells that differ from docs/permissions.md").isEmpty();
  }

  /** An image with a digest of its own (a label), so deleting its tag takes no other tag with it. */
  static void distinctImage(String repoTag, String role) throws Exception {
    String name = "mk-" + repoTag.replaceAll("[^a-z0-9]", "-").toLowerCase(Locale.ROOT);
    registry("u-owner", null, "rm", "-f", name);
    assertThat(registry("u-owner", null, "create", "--name", name, "berth/busybox:1", "true").exit()).isZero();
    DockerCli.Result c = registry("u-owner", null, "commit", "--change", "LABEL matrix=" + repoTag, name, REGISTRY + "/" + repoTag);
    assertThat(c.exit()).as(c.err()).isZero();
    registry("u-owner", null, "rm", "-f", name);
  }

  @Test
  void publicRepositoriesArePulledByAnyoneAndPrivateOnesByMembersOnly() throws Exception {
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxp/open:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxp/open:v1").exit()).isZero();
    DockerCli.Result anonymous = registry("anonymous", null, "pull", REGISTRY + "/mxp/open:v1");
    assertThat(anonymous.exit()).as("private: anonymous refused").isNotZero();
    assertThat(registry("u-extra", null, "pull", REGISTRY + "/mxp/open:v1").exit()).as("private: a non-member refused").isNotZero();
    assertThat(berthAs("u-owner", "image", "visibility", "mxp/open", "public").exit()).isZero();
    DockerCli.Result pulled = registry("anonymous", null, "pull", REGISTRY + "/mxp/open:v1");
    assertThat(pulled.exit()).as(pulled.err()).isZero();
    assertThat(registry("u-extra", null, "pull", REGISTRY + "/mxp/open:v1").exit()).isZero();
    DockerCli.Result push = registry("u-extra", null, "push", REGISTRY + "/mxp/open:v1");
    assertThat(push.exit()).as("public is for pulling, not pushing").isNotZero();
  }

  @Test
  void theAuditLogNamesWhoDidWhatAndTheDenials() throws Exception {
    // a new app name: any signed-in user may take it and becomes its owner
    BerthProcess.Result made = berthAs("u-guest", "app", "deploy", "-f", manifest("mxa", "audit").toString()).run();
    assertThat(made.exit()).as(made.out() + made.err()).isZero();
    assertThat(berthAs("u-extra", "app", "scale", "mxa", "2").run().err()).contains("u-extra is not a member of app mxa");
    assertThat(berthAs("u-guest", "app", "rm", "mxa").exit()).isZero();
    JsonNode guest = Json.MAPPER.readTree(berthAs("admin", "audit", "--user", "u-guest", "--json").run().out());
    assertThat(guest.toString()).contains("POST /v1/apps").contains("DELETE /v1/apps/mxa")
        .doesNotContain(tokens.get("u-guest")).doesNotContain(password("u-guest"));
    JsonNode extra = Json.MAPPER.readTree(berthAs("admin", "audit", "--user", "u-extra", "--json").run().out());
    assertThat(extra.toString()).contains("POST /v1/apps/mxa/scale").contains("\"outcome\":\"denied\"").contains("\"status\":403");
    assertThat(berthAs("u-guest", "audit").run().err()).contains("is for administrators");
  }

  @Test
  void theRegistryRefusesATamperedToken() throws Exception {
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxt/t:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxt/t:v1").exit()).isZero();
    assertThat(berthAs("u-owner", "member", "add", "--repo", "mxt/t", "u-reporter", "reporter").exit()).isZero();
    String basic = java.util.Base64.getEncoder().encodeToString(("u-reporter:" + password("u-reporter")).getBytes());
    HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
        + "/v1/registry/token?scope=repository:mxt/t:pull,push")).header("Authorization", "Basic " + basic).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String jwt = Json.MAPPER.readTree(issued.body()).path("token").asText();
    String[] parts = jwt.split("\\.");
    java.util.Base64.Decoder dec = java.util.Base64.getUrlDecoder();
    java.util.Base64.Encoder enc = java.util.Base64.getUrlEncoder().withoutPadding();
    String claims = new String(dec.decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(claims).contains("\"pull\"").doesNotContain("\"push\""); // a reporter's token: pull only
    assertThat(registryApi(jwt, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(200);

    // the same token with push written into its claims, signature kept
    String pushing = parts[0] + "." + enc.encodeToString(claims.replace("[\"pull\"]", "[\"pull\",\"push\"]")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(registryApi(pushing, "POST", "/v2/mxt/t/blobs/uploads/").statusCode()).isEqualTo(401);
    assertThat(registryApi(pushing, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(401);
    // signed by a key the cluster never saw (another cluster's, or a forger's), the real certificate chain kept
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
    rsa.initSign(g.generateKeyPair().getPrivate());
    rsa.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    String forged = parts[0] + "." + parts[1] + "." + enc.encodeToString(rsa.sign());
    assertThat(registryApi(forged, "GET", "/v2/mxt/t/tags/list").statusCode()).isEqualTo(401);
  }

  static HttpResponse<String> registryApi(String jwt, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + path)).header("Authorization", "Bearer " + jwt)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}

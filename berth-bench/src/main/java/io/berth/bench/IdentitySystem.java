package io.berth.bench;

import static io.berth.bench.IdentityBench.PASSWORD;
import static io.berth.bench.Latencies.header;
import static io.berth.bench.Latencies.interleaved;
import static io.berth.bench.Latencies.median;
import static io.berth.bench.Latencies.row;
import static io.berth.bench.Latencies.samples;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.bench.Latencies.Call;
import io.berth.bench.Latencies.Pair;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Parts 2 and 3 of {@code scripts/bench identity}, against a running manager: its registry token
 * endpoint over HTTP, and docker push / pull through its registry beside a plain docker-registry
 * on one real engine (see {@link IdentityBench}).
 */
final class IdentitySystem {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  static final String BERTH_REGISTRY = "127.0.0.1:5045";
  static final String PLAIN_REGISTRY = "127.0.0.1:5046";
  static final int LAYER_BYTES = 10 * 1024 * 1024;

  private IdentitySystem() {}

  /** One way of pushing: a registry, and the docker CLI's config dir (logged in, or empty for the plain registry). */
  record Variant(String key, String label, String registry, Path config) {}

  static void run(Path dir, int rounds) throws Exception {
    Path mdata = dir.resolve("manager");
    int api = BerthJar.freePort();
    Process plain = null;
    Process manager = null;
    List<ProcessHandle> children = new ArrayList<>();
    try (LocalEngines engines = LocalEngines.builder().nodes(1).firstNode(45).baseDir(dir.resolve("engines")).start()) {
      String host = "unix://" + engines.node(45).socket();
      plain = plainRegistry(dir);
      manager = BerthJar.start(dir.resolve("manager.log"), "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
          "--data", mdata.toString(), "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(),
          "--docker-addr", "127.0.0.1:" + BerthJar.freePort(), "--registry-addr", BERTH_REGISTRY);
      BerthJar.await(manager, dir.resolve("manager.log"), "berth manager is running", Duration.ofSeconds(60));
      manager.descendants().forEach(children::add); // its docker-registry
      String admin = "Bearer " + Files.readString(mdata.resolve("admin.token")).trim();
      String basicPassword = basic("bench", PASSWORD);
      call(api, "POST", "/v1/users", admin, "{\"name\": \"bench\", \"password\": \"" + PASSWORD + "\"}");
      String apiToken = Json.MAPPER.readTree(call(api, "POST", "/v1/tokens", basicPassword, "{\"name\": \"docker\", \"expires_in\": \"30d\"}"))
          .path("token").asText();

      Variant viaPlain = new Variant("plain", "plain docker-registry, auth off", PLAIN_REGISTRY, Files.createDirectories(dir.resolve("docker-plain")));
      Variant viaToken = new Variant("token", "Berth registry, login with API token", BERTH_REGISTRY, Files.createDirectories(dir.resolve("docker-token")));
      Variant viaPassword = new Variant("password", "Berth registry, login with password", BERTH_REGISTRY,
          Files.createDirectories(dir.resolve("docker-password")));
      docker(host, viaToken.config(), apiToken, "login", BERTH_REGISTRY, "-u", "bench", "--password-stdin");
      docker(host, viaPassword.config(), PASSWORD, "login", BERTH_REGISTRY, "-u", "bench", "--password-stdin");
      List<Variant> variants = List.of(viaPlain, viaToken, viaPassword);
      int pushTokensBefore = pushTokens(api, admin);
      double[][] push = new double[variants.size()][rounds];
      double[][] pull = new double[variants.size()][rounds];
      for (int r = 0; r <= rounds; r++) { // round 0 warms up: the base layer reaches each registry, the JITs compile
        List<Variant> order = new ArrayList<>(variants);
        Collections.rotate(order, r);
        List<String> refs = new ArrayList<>();
        for (Variant v : order) refs.add(image(host, dir, v.registry() + "/team/app:r" + r + "-" + v.key()));
        for (int i = 0; i < order.size(); i++) {
          double ms = timed(host, order.get(i).config(), "push", refs.get(i));
          if (r > 0) push[variants.indexOf(order.get(i))][r - 1] = ms;
        }
        for (String ref : refs) docker(host, viaPlain.config(), null, "rmi", ref);
        for (int i = 0; i < order.size(); i++) {
          double ms = timed(host, order.get(i).config(), "pull", refs.get(i));
          if (r > 0) pull[variants.indexOf(order.get(i))][r - 1] = ms;
        }
        for (String ref : refs) docker(host, viaPlain.config(), null, "rmi", ref);
      }
      int pushTokens = pushTokens(api, admin) - pushTokensBefore;

      tokenEndpoint(api, admin, apiToken);

      System.out.printf("%n== docker push / pull of a new random %d MiB layer (busybox base), %d rounds alternating after a warm-up, medians in ms%n",
          LAYER_BYTES >> 20, rounds);
      System.out.printf("%-40s %9s %9s %11s %11s%n", "", "push", "pull", "push ratio", "pull ratio");
      double plainPush = median(push[0]);
      double plainPull = median(pull[0]);
      for (int v = 0; v < variants.size(); v++) {
        System.out.printf("%-40s %9.0f %9.0f %10.2fx %10.2fx%n", variants.get(v).label(), median(push[v]), median(pull[v]),
            median(push[v]) / plainPush, median(pull[v]) / plainPull);
      }
      for (int v = 0; v < variants.size(); v++) {
        System.out.printf("  %-38s push %s  pull %s%n", variants.get(v).key(), samples(push[v]), samples(pull[v]));
      }
      System.out.printf("registry tokens with push granted during the %d Berth pushes (warm-up included): %d%n",
          2 * (rounds + 1), pushTokens);
    } finally {
      if (manager != null) {
        manager.destroy(); // SIGTERM: the manager stops its registry
        if (!manager.waitFor(20, TimeUnit.SECONDS)) manager.destroyForcibly().waitFor();
      }
      for (ProcessHandle c : children) if (c.isAlive()) c.destroyForcibly();
      if (plain != null) {
        plain.destroy();
        if (!plain.waitFor(10, TimeUnit.SECONDS)) plain.destroyForcibly().waitFor();
      }
    }
  }

  /** Debian's docker-registry with the Berth registry's config less its auth section. */
  static Process plainRegistry(Path dir) throws Exception {
    Path config = dir.resolve("plain-registry.yml");
    Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: info", "  formatter: text", "storage:", "  filesystem:",
        "    rootdirectory: \"" + dir.resolve("plain-registry-data") + "\"", "  delete:", "    enabled: true", "http:",
        "  addr: \"" + PLAIN_REGISTRY + "\"", "  secret: \"bench-" + new SecureRandom().nextLong() + "\"", ""));
    Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("plain-registry.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("plain docker-registry exited: " + Files.readString(dir.resolve("plain-registry.log")));
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://" + PLAIN_REGISTRY + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return p;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("plain docker-registry did not answer on " + PLAIN_REGISTRY);
  }

  /** A new image: berth/busybox:1 plus one layer of fresh random bytes, committed as {@code ref}. */
  static String image(String host, Path dir, String ref) throws Exception {
    Path blob = dir.resolve("layer.bin");
    byte[] bytes = new byte[LAYER_BYTES];
    new Random().nextBytes(bytes);
    Files.write(blob, bytes);
    Path none = dir.resolve("docker-plain");
    String id = docker(host, none, null, "create", "berth/busybox:1", "true").strip();
    docker(host, none, null, "cp", blob.toString(), id + ":/layer.bin");
    docker(host, none, null, "commit", id, ref);
    docker(host, none, null, "rm", id);
    return ref;
  }

  /** The token endpoint over HTTP, against {@code GET /v1/whoami} with a bearer API token. */
  static void tokenEndpoint(int api, String admin, String apiToken) throws Exception {
    String base = "/v1/registry/token?service=berth-registry&scope=repository:team/app:";
    String basicToken = basic("bench", apiToken);
    String basicPassword = basic("bench", PASSWORD);
    String granted = claims(call(api, "GET", base + "pull,push", basicToken, null));
    if (!granted.contains("\"push\"")) throw new IllegalStateException("no push granted: " + granted);
    int n = 1_000;
    Call whoami = i -> call(api, "GET", "/v1/whoami", "Bearer " + apiToken, null);
    Call pushToken = i -> call(api, "GET", base + "pull,push", basicToken, null);
    Call pullToken = i -> call(api, "GET", base + "pull", basicToken, null);
    Call anonymous = i -> call(api, "GET", "/v1/registry/token?service=berth-registry", null, null);
    Call passwordToken = i -> call(api, "GET", base + "pull,push", basicPassword, null);
    interleaved(n / 4, pushToken, whoami);
    System.out.printf("%n== registry token endpoint over HTTP (one kept-alive connection), GET %spull,push; ms%n", base);
    header("ms");
    Pair push = interleaved(n, pushToken, whoami);
    row("Basic user:API token, pull,push", push.measured(), "GET /v1/whoami, Bearer API token", push.baseline(), 1e6);
    Pair pull = interleaved(n, pullToken, whoami);
    row("Basic user:API token, pull", pull.measured(), "GET /v1/whoami, Bearer API token", pull.baseline(), 1e6);
    Pair anon = interleaved(n, anonymous, whoami);
    row("anonymous, no scope (signing only)", anon.measured(), "GET /v1/whoami, Bearer API token", anon.baseline(), 1e6);
    Pair pw = interleaved(22, passwordToken, whoami);
    row("Basic user:password, pull,push", Arrays.copyOfRange(pw.measured(), 2, 22), "GET /v1/whoami, Bearer API token",
        Arrays.copyOfRange(pw.baseline(), 2, 22), 1e6);
  }

  /** The JWT's claims, decoded. */
  static String claims(String tokenResponse) throws IOException {
    String jwt = Json.MAPPER.readTree(tokenResponse).path("token").asText();
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  /** How many registry tokens granting push the manager's audit log holds. */
  static int pushTokens(int api, String admin) throws Exception {
    int c = 0;
    for (JsonNode e : Json.MAPPER.readTree(call(api, "GET", "/v1/audit?user=bench&limit=10000", admin, null))) {
      if (e.path("action").asText().equals("registry token")) c++;
    }
    return c;
  }

  static String basic(String user, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** One API call; fails unless it answers 2xx. */
  static String call(int api, String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) b.header("Authorization", authorization);
    if (body != null) b.header("Content-Type", "application/json");
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    return r.body();
  }

  /** Milliseconds a docker CLI command took, its start included. */
  static double timed(String host, Path config, String... args) throws Exception {
    long t0 = System.nanoTime();
    docker(host, config, null, args);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Runs the docker CLI with its own config dir; its output, or an exception with it when the command fails. */
  static String docker(String host, Path config, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LrpBench.DOCKER, "--config", config.toString(), "-H", host));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
    Process p = pb.start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
    return out;
  }
}

package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.engine.LocalEngines;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.identity.Tokens;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * {@code scripts/bench identity}, three parts, each beside a baseline measured in the same run:
 *
 * <ol>
 *   <li>In process, on a real SQLite store: {@link StoreAccess#allows} and {@code require} with
 *       1,000 apps × 10 members (against the permission table alone), token verification (against
 *       the one store read it needs), sign-in with bcrypt cost 12 (against bcrypt alone) and API
 *       token issuance (against one store put).
 *   <li>The registry token endpoint of a running manager over HTTP, Basic user + API token and
 *       user + password (against {@code GET /v1/whoami} with a bearer token).
 *   <li>{@code docker push} and {@code pull} of images with a fresh random ~10 MiB layer each,
 *       through the manager's registry on 127.0.0.1:5045 (token auth, the docker CLI logged in with
 *       an API token, and with a password) against a plain {@code docker-registry} with auth off on
 *       127.0.0.1:5046, alternating, on one real engine (node 45). Rounds: {@code BERTH_IDENTITY_ROUNDS}.
 * </ol>
 */
final class IdentityBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Principal ADMIN = Principal.adminToken();
  private static final String FROM = "127.0.0.1";
  private static final String PASSWORD = "bench-password-1";
  static final String BERTH_REGISTRY = "127.0.0.1:5045";
  static final String PLAIN_REGISTRY = "127.0.0.1:5046";
  static final int LAYER_BYTES = 10 * 1024 * 1024;

  static final int APPS = 1_000;
  static final int MEMBERS_PER_APP = 10;
  static final int USERS = 100;
  static final int GROUPS = 100;
  static final int CHECKS = 300_000;

  private IdentityBench() {}

  static void run() throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BERTH_IDENTITY_ROUNDS", "8"));
    Path dir = Files.createTempDirectory("berth-bench-identity");
    long t0 = System.nanoTime();
    System.out.println("load average at start: " + loadAverage());
    inProcess(dir);
    long t1 = System.nanoTime();
    try {
      system(dir, rounds);
      System.out.printf("%nin process %.0f s, manager and registries %.0f s; load average at the end: %s%n", (t1 - t0) / 1e9,
          (System.nanoTime() - t1) / 1e9, loadAverage());
    } finally {
      // the pushed images: ~10 MiB each, (rounds + 1) x 3 of them
      for (String d : List.of("manager/registry/data", "plain-registry-data")) deleteTree(dir.resolve(d));
      Files.deleteIfExists(dir.resolve("layer.bin"));
    }
  }

  // ---- 1. in process ----

  /** A timed call; returns something so the work cannot be dropped. */
  @FunctionalInterface
  interface Call {
    Object call(int i) throws Exception;
  }

  /** Latencies of one operation and of its baseline, taken interleaved (call i of each, one after the other). */
  record Pair(long[] measured, long[] baseline) {}

  static Pair interleaved(int n, Call measured, Call baseline) throws Exception {
    long[] m = new long[n];
    long[] b = new long[n];
    int sink = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      Object x = measured.call(i);
      long t1 = System.nanoTime();
      Object y = baseline.call(i);
      long t2 = System.nanoTime();
      m[i] = t1 - t0;
      b[i] = t2 - t1;
      sink += (x == null ? 0 : 1) + (y == null ? 0 : 1);
    }
    if (sink == -1) System.out.print("");
    return new Pair(m, b);
  }

  static String user(int u) {
    return "u" + u;
  }

  static String app(int a) {
    return "app" + a;
  }

  static String group(int g) {
    return "team" + g;
  }

  /** Repository {@code a}: ten per group. */
  static String repo(int a) {
    return group(a % GROUPS) + "/app" + a;
  }

  /** The m-th member of resource r: ten distinct users of the hundred. */
  static int member(int r, int m) {
    return (r + m * 10) % USERS;
  }

  static void inProcess(Path dir) throws Exception {
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("identity.db"))) {
      Clock clock = Clock.systemUTC();
      ClusterSecrets secrets = ClusterSecrets.loadOrCreate(store, clock.instant());
      Role[] roles = Role.values();
      // Cheap hashes for the hundred members: they never sign in here; "bench" below has cost 12.
      try (StoreAccess setup = new StoreAccess(store, clock, secrets, 4)) {
        for (int u = 0; u < USERS; u++) setup.accounts().createUser(ADMIN, user(u), "password-" + u, false);
        for (int a = 0; a < APPS; a++) {
          for (int m = 0; m < MEMBERS_PER_APP; m++) setup.accounts().setMember(ADMIN, ResourceKind.APP, app(a), user(member(a, m)), roles[(a + m) % roles.length]);
        }
        for (int g = 0; g < GROUPS; g++) {
          for (int m = 0; m < MEMBERS_PER_APP; m++) setup.accounts().setMember(ADMIN, ResourceKind.GROUP, group(g), user(member(g, m)), roles[(g + m) % roles.length]);
        }
        for (int a = 0; a < APPS; a += 10) setup.setPublic(repo(a), true);
      }
      long l0 = System.nanoTime();
      StoreAccess access = new StoreAccess(store, clock, secrets, 12);
      double loadMs = (System.nanoTime() - l0) / 1e6;
      try (access) {
        long c0 = System.nanoTime();
        access.accounts().createUser(ADMIN, "bench", PASSWORD, false);
        double createMs = (System.nanoTime() - c0) / 1e6;
        System.out.printf("== identity in process: SQLite store, %,d apps x %d members, %d groups x %d, %,d repos (1 in 10 public), %d users%n",
            APPS, MEMBERS_PER_APP, GROUPS, MEMBERS_PER_APP, APPS, USERS);
        System.out.printf("StoreAccess start (reads %,d memberships into memory): %.0f ms; createUser at bcrypt cost 12: %.0f ms%n",
            APPS * MEMBERS_PER_APP + GROUPS * MEMBERS_PER_APP, loadMs, createMs);
        // A whole pass of each first, unreported: on two busy cores the JIT is still compiling after
        // a warm-up loop, and the first pass's p99 of allows() came out ~35x the next pass's.
        permissions(access, false);
        tokens(store, access, false);
        header("us");
        permissions(access, true);
        tokens(store, access, true);
        signIn(access);
      }
    }
  }

  static void permissions(StoreAccess access, boolean report) throws Exception {
    Random rnd = new Random(42);
    Principal[] principals = new Principal[USERS];
    for (int u = 0; u < USERS; u++) principals[u] = new Principal(user(u), false, "token");
    Action[] appActions = Permissions.of(ResourceKind.APP).keySet().toArray(Action[]::new);
    String[] apps = new String[APPS];
    String[] repos = new String[APPS];
    for (int a = 0; a < APPS; a++) {
      apps[a] = app(a);
      repos[a] = repo(a);
    }
    int n = CHECKS;
    int[] who = new int[n];
    int[] what = new int[n];
    Action[] action = new Action[n];
    Role[] appRole = new Role[n];
    Role[] repoRole = new Role[n];
    for (int i = 0; i < n; i++) {
      what[i] = rnd.nextInt(APPS);
      who[i] = rnd.nextBoolean() ? member(what[i], rnd.nextInt(MEMBERS_PER_APP)) : rnd.nextInt(USERS); // half members, half anyone
      action[i] = appActions[rnd.nextInt(appActions.length)];
      appRole[i] = access.role(principals[who[i]], ResourceKind.APP, apps[what[i]]).orElse(null);
      repoRole[i] = access.role(principals[who[i]], ResourceKind.REPO, repos[what[i]]).orElse(null);
    }
    Call allows = i -> access.allows(principals[who[i]], ResourceKind.APP, apps[what[i]], action[i]);
    Call table = i -> Permissions.allows(ResourceKind.APP, appRole[i], action[i]);
    interleaved(n, allows, table); // warm-up: the JIT compiles both (slowly, on busy cores)
    interleaved(n, allows, table);
    Pair p = interleaved(n, allows, table);
    int allowed = 0;
    for (int i = 0; i < n; i++) if (Permissions.allows(ResourceKind.APP, appRole[i], action[i])) allowed++;
    if (report) row("allows(app), " + (100 * allowed / n) + "% allowed", p.measured(), "Permissions.allows, role known", p.baseline(), 1e3);

    // require: the same calls; the denied ones throw a 403 whose message names the roles.
    long[] ok = new long[n];
    long[] denied = new long[n];
    int okCount = 0;
    int deniedCount = 0;
    for (int round = 0; round < 3; round++) { // the last is measured
      okCount = 0;
      deniedCount = 0;
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        boolean refused = false;
        try {
          access.require(principals[who[i]], ResourceKind.APP, apps[what[i]], action[i]);
        } catch (BerthException.Forbidden f) {
          refused = true;
        }
        long t = System.nanoTime() - t0;
        if (refused) denied[deniedCount++] = t;
        else ok[okCount++] = t;
      }
    }
    long[] noop = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      noop[i] = System.nanoTime() - t0;
    }
    if (report) row("require(app), allowed", Arrays.copyOf(ok, okCount), "Permissions.allows, role known", p.baseline(), 1e3);
    if (report) row("require(app), denied (403 thrown)", Arrays.copyOf(denied, deniedCount), "Permissions.allows, role known", p.baseline(), 1e3);
    if (report) System.out.printf("(the clock itself, two nanoTime calls: p50 %s us, p99 %s us)%n", num(pct(noop, 50) / 1e3), num(pct(noop, 99) / 1e3));

    Call pull = i -> access.allows(principals[who[i]], ResourceKind.REPO, repos[what[i]], Action.PULL);
    Call pullTable = i -> Permissions.allows(ResourceKind.REPO, repoRole[i], Action.PULL);
    int m = 100_000;
    interleaved(m, pull, pullTable);
    interleaved(m, pull, pullTable);
    Pair r = interleaved(m, pull, pullTable);
    if (report) row("allows(repo, pull): visibility read", r.measured(), "Permissions.allows, role known", r.baseline(), 1e3);
  }

  static void tokens(StateStore store, StoreAccess access, boolean report) throws Exception {
    Random rnd = new Random(7);
    int n = 1_200;
    List<Tokens.Issued> issued = new ArrayList<>();
    byte[][] record = new byte[1][];
    Call issue = i -> {
      Tokens.Issued t = access.accounts().issueToken(new Principal(user(i % USERS), false, "token"), "bench", Duration.ofDays(30));
      issued.add(t);
      return t;
    };
    Call put = i -> {
      if (record[0] == null) record[0] = store.get(Keys.TOKENS + issued.get(0).id()).orElseThrow().value();
      return store.put("/bench/tokens/" + issued.get(i).id(), record[0]); // a new key, as issuing writes one
    };
    Pair p = interleaved(n, issue, put);
    int warm = 200;
    if (report) row("issueToken (API token)", Arrays.copyOfRange(p.measured(), warm, n), "store put of the same record", Arrays.copyOfRange(p.baseline(), warm, n), 1e3);

    int v = 20_000;
    String[] bearer = new String[v];
    String[] basic = new String[v];
    String[] ids = new String[v];
    for (int i = 0; i < v; i++) {
      Tokens.Issued t = issued.get(rnd.nextInt(issued.size()));
      bearer[i] = "Bearer " + t.token();
      basic[i] = "Basic " + Base64.getEncoder().encodeToString((t.user() + ":" + t.token()).getBytes(StandardCharsets.UTF_8));
      ids[i] = Keys.TOKENS + t.id();
    }
    Call verify = i -> access.caller(Optional.of(bearer[i]), FROM);
    Call get = i -> store.get(ids[i]);
    interleaved(v, verify, get);
    Pair b = interleaved(v, verify, get);
    if (report) row("caller(Bearer API token)", b.measured(), "store get of the token record", b.baseline(), 1e3);
    Call viaBasic = i -> access.caller(Optional.of(basic[i]), FROM);
    interleaved(v, viaBasic, get);
    Pair bb = interleaved(v, viaBasic, get);
    if (report) row("caller(Basic user:API token)", bb.measured(), "store get of the token record", bb.baseline(), 1e3);
  }

  static void signIn(StoreAccess access) throws Exception {
    String hash = access.users().find("bench").orElseThrow().passwordHash();
    int n = 22;
    Call signIn = i -> access.signIn("bench", PASSWORD, FROM);
    Call bcrypt = i -> OpenBSDBCrypt.checkPassword(hash, PASSWORD.toCharArray()) ? Boolean.TRUE : null;
    Pair p = interleaved(n, signIn, bcrypt);
    System.out.println();
    header("ms");
    row("signIn(user, password), bcrypt cost 12", Arrays.copyOfRange(p.measured(), 2, n), "OpenBSDBCrypt.checkPassword alone",
        Arrays.copyOfRange(p.baseline(), 2, n), 1e6);
  }

  // ---- 2. and 3. a running manager, its registry, a plain registry, one engine ----

  /** One way of pushing: a registry, and the docker CLI's config dir (logged in, or empty for the plain registry). */
  record Variant(String key, String label, String registry, Path config) {}

  static void system(Path dir, int rounds) throws Exception {
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
      String apiToken = JSON.readTree(call(api, "POST", "/v1/tokens", basicPassword, "{\"name\": \"docker\", \"expires_in\": \"30d\"}"))
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
        java.util.Collections.rotate(order, r);
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
    String jwt = JSON.readTree(tokenResponse).path("token").asText();
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  /** How many registry tokens granting push the manager's audit log holds. */
  static int pushTokens(int api, String admin) throws Exception {
    int c = 0;
    for (JsonNode e : JSON.readTree(call(api, "GET", "/v1/audit?user=bench&limit=10000", admin, null))) {
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

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  // ---- numbers ----

  static void header(String unit) {
    System.out.printf("%-40s %8s %9s %9s | %-34s %9s %9s | %8s %8s%n", "(" + unit + ")", "calls", "p50", "p99", "baseline", "p50", "p99",
        "p50 x", "p99 x");
  }

  /** One measured row beside its baseline; {@code unit} nanoseconds per printed unit. */
  static void row(String what, long[] measured, String baselineName, long[] baseline, double unit) {
    double mp50 = pct(measured, 50) / unit;
    double mp99 = pct(measured, 99) / unit;
    double bp50 = pct(baseline, 50) / unit;
    double bp99 = pct(baseline, 99) / unit;
    System.out.printf("%-40s %8d %9s %9s | %-34s %9s %9s | %7.1fx %7.1fx%n", what, measured.length, num(mp50), num(mp99), baselineName,
        num(bp50), num(bp99), mp50 / bp50, mp99 / bp99);
  }

  static String num(double x) {
    return x >= 100 ? String.format("%.0f", x) : x >= 10 ? String.format("%.1f", x) : String.format("%.2f", x);
  }

  /** Nearest-rank percentile. */
  static double pct(long[] xs, double p) {
    long[] s = xs.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String samples(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) b.append(b.length() == 0 ? "" : " ").append(String.format("%.0f", x));
    return b.toString();
  }
}

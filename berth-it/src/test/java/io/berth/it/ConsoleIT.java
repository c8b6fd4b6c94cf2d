package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: Debian's chromium driven by the Playwright tests in
 * {@code berth-console/e2e} against a real {@code berth dev} on its own dockerd (node 8), with an
 * administrator and a guest, its registry, and a git repository served by {@code git daemon} that
 * a build made in the console clones, builds and pushes. Fails with the tests' output when node exits non-zero; the
 * screenshots land in {@code berth-it/target/console-screenshots}.
 */
@BerthCluster(nodes = 1, firstNode = 8, manager = false)
class ConsoleIT {
  static final Path CONSOLE = Path.of("../berth-console").toAbsolutePath().normalize();
  static final Path SHOTS = Path.of("target/console-screenshots").toAbsolutePath();
  static final String ADMIN = "olive";
  static final String GUEST = "gus";
  static final String PASSWORD = "console-e2e-pw";
  static LocalEngine engine;
  static volatile BerthProcess dev; // replaced when the e2e tests have it restarted
  static Path data;
  static String base;
  static String token;
  static String[] devArgs;
  static GitServer git;

  @BeforeAll
  static void startDev(Cluster c) throws Exception {
    requireOrSkip(Files.isExecutable(Path.of("/usr/bin/chromium")) ? null : "no /usr/bin/chromium (apt-get install chromium)");
    requireOrSkip(which("node") ? null : "no node (apt-get install nodejs npm)");
    engine = c.engines().get(0);
    data = Files.createTempDirectory("berth-console-it");
    int api = Ports.free();
    base = "http://127.0.0.1:" + api;
    List<String> args = new ArrayList<>(List.of("dev", "--data", data.toString(), "--engine", engine.socket(),
        "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + Ports.free(),
        "--agent-addr", engine.address() + ":" + Ports.free(), "--docker-addr", "127.0.0.1:" + Ports.free(),
        "--name", "consolenode", "--no-router", "--registry-addr", "127.0.0.1:" + Ports.free()));
    // The charts draw the agent's container metrics: sampled every 2 s, so the first points come within seconds.
    args.addAll(List.of("--metrics-interval", "2s"));
    devArgs = args.toArray(String[]::new);
    dev = BerthProcess.start("dev", data, devArgs);
    dev.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
    token = Files.readString(data.resolve("admin.token")).trim();
    DockerCli.run("unix://" + engine.socket(), List.of(), null, "tag", "berth/busybox:1", "berth/busybox:2");
    assertThat(call("POST", "/v1/users", "{\"name\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD + "\",\"admin\":true}")).isEqualTo(200);
    assertThat(call("POST", "/v1/users", "{\"name\":\"" + GUEST + "\",\"password\":\"" + PASSWORD + "\"}")).isEqualTo(200);
    installPlaywright();
    // A repository the builds page's run clones, builds and pushes to the dev's registry.
    git = GitServer.start(data);
    git.create("site", "main", Map.of("Dockerfile", "FROM berth/busybox:1\nRUN echo built > /built.txt\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (dev != null) dev.close();
    if (git != null) git.close();
  }

  @Test
  void theE2eTestsPassInChromiumAgainstBerthDev() throws Exception {
    HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    Assumptions.assumeTrue(index.statusCode() == 200, "this manager serves no console at / yet (berth-console not built in)");
    Path out = SHOTS.resolveSibling("console-e2e.log");
    Files.createDirectories(SHOTS);
    ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-reporter=spec", "e2e/")
        .directory(CONSOLE.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.put("BERTH_URL", base);
    env.put("BERTH_ADMIN_TOKEN", token);
    env.put("BERTH_ADMIN_USER", ADMIN);
    env.put("BERTH_ADMIN_PASSWORD", PASSWORD);
    env.put("BERTH_GUEST_USER", GUEST);
    env.put("BERTH_GUEST_PASSWORD", PASSWORD);
    env.put("BERTH_APP", "hello");
    env.put("BERTH_GIT_URL", git.url("site"));
    env.put("SCREENSHOTS", SHOTS.toString());
    Path control = Files.createTempDirectory(data, "control");
    env.put("BERTH_CONTROL", control.toString());
    long t0 = System.nanoTime();
    Process node = pb.start();
    Thread controller = Thread.ofVirtual().start(() -> control(control, node));
    boolean done = node.waitFor(240, TimeUnit.SECONDS);
    if (!done) node.destroyForcibly().waitFor();
    controller.join(20_000);
    String log = Files.readString(out);
    System.out.printf("berth-it: console e2e %s in %.1f s%n%s%n", done ? "exit " + node.exitValue() : "timed out",
        (System.nanoTime() - t0) / 1e9, log);
    if (!done || node.exitValue() != 0) System.out.println("berth-it: berth dev's threads are in " + dev.dumpThreads());
    assertThat(done).as("the e2e tests finished within 240 s:\n" + log).isTrue();
    assertThat(node.exitValue()).as("the e2e tests (berth-console/e2e) failed:\n" + log).isZero();
    for (String shot : List.of("dashboard", "nodes", "apps", "app", "app-375", "operator")) {
      assertThat(SHOTS.resolve(shot + ".png")).as("screenshot " + shot).isNotEmptyFile();
    }
  }

  /**
   * Stops and starts berth dev when the e2e tests ask (a file {@code stop} or {@code start} in
   * {@code dir}), answering {@code stopped} / {@code started} once done: the lost connection is a
   * manager really gone, and its recovery the same manager back on the same data dir and ports.
   */
  static void control(Path dir, Process node) {
    try {
      while (node.isAlive()) {
        if (Files.deleteIfExists(dir.resolve("stop"))) {
          dev.stop();
          Files.writeString(dir.resolve("stopped"), "");
        }
        if (Files.deleteIfExists(dir.resolve("start"))) {
          dev = BerthProcess.start("dev", data, devArgs);
          dev.awaitLine("berth dev is ready in", Duration.ofSeconds(60));
          Files.writeString(dir.resolve("started"), "");
        }
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      System.out.println("berth-it: console control: " + e);
    }
  }

  /** The console's devDependency playwright-core, from the npm cache or registry when the build has not installed it. */
  static void installPlaywright() throws IOException, InterruptedException {
    if (Files.isDirectory(CONSOLE.resolve("node_modules/playwright-core"))) return;
    boolean locked = Files.exists(CONSOLE.resolve("package-lock.json"));
    Process p = new ProcessBuilder("npm", locked ? "ci" : "install", "--no-audit", "--no-fund").directory(CONSOLE.toFile())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("npm in berth-console: " + output).isZero();
  }

  static int call(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  static boolean which(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }

  /** On a laptop without the browser, skip with one line; in CI (where .ci/run installs it) fail. */
  static void requireOrSkip(String missing) {
    if (missing == null) return;
    if (System.getenv("CI") != null) throw new IllegalStateException("ConsoleIT: " + missing + " (CI is set, so this fails)");
    System.err.println("ConsoleIT: " + missing + "; skipping");
    Assumptions.abort(missing);
  }
}

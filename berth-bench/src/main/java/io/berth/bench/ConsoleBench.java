package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The console in Debian's chromium against {@code berth dev} on its own dockerd (node 46), driven by
 * {@code berth-console/e2e/bench.mjs} (playwright-core): the first load's bytes on the wire and its
 * time to a usable sign-in form, against the same index.html alone; the time from signing in to
 * the dashboard painted with data; and the time from an instance's container being killed to the
 * app page showing the change, against polling {@code /v1/apps/N/instances} every 20 ms.
 */
final class ConsoleBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Path CONSOLE = Path.of("berth-console").toAbsolutePath();
  static final String MANIFEST = """
      name: hello
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www"]
      instances: 2
      memory: 32m
      ports: [8080]
      health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}
      """;

  private ConsoleBench() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-console");
    try (LocalEngines engines = LocalEngines.builder().nodes(1).firstNode(46).baseDir(dir.resolve("engines")).start()) {
      LocalEngine e = engines.engines().get(0);
      Path data = dir.resolve("dev");
      int api = BerthJar.freePort();
      Path log = dir.resolve("dev.log");
      Process dev = BerthJar.start(log, "dev", "--data", data.toString(), "--engine", e.socket(), "--api-addr", "127.0.0.1:" + api,
          "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(), "--agent-addr", e.address() + ":" + BerthJar.freePort(),
          "--docker-addr", "127.0.0.1:" + BerthJar.freePort(), "--name", "benchnode", "--no-router", "--no-registry");
      try {
        BerthJar.await(dev, log, "berth dev is ready", Duration.ofSeconds(90));
        String base = "http://127.0.0.1:" + api;
        String token = Files.readString(data.resolve("admin.token")).trim();
        call(base, token, "POST", "/v1/users", "{\"name\":\"olive\",\"password\":\"console-bench-pw\",\"admin\":true}");
        call(base, token, "POST", "/v1/apps", MANIFEST);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (running(base, token) < 2) {
          if (System.nanoTime() > end) throw new IllegalStateException("hello never ran 2 instances; see " + log);
          Thread.sleep(250);
        }
        JsonNode r = node(base, token, "unix://" + e.socket(), dir.resolve("bench-node.log"));
        report(r);
      } finally {
        dev.destroy();
        dev.waitFor();
      }
    }
  }

  private static JsonNode node(String base, String token, String engine, Path log) throws IOException, InterruptedException {
    if (!Files.isDirectory(CONSOLE.resolve("node_modules/playwright-core"))) {
      Process npm = new ProcessBuilder("npm", Files.exists(CONSOLE.resolve("package-lock.json")) ? "ci" : "install", "--no-audit", "--no-fund")
          .directory(CONSOLE.toFile()).inheritIO().start();
      if (npm.waitFor() != 0) throw new IllegalStateException("npm in berth-console failed");
    }
    ProcessBuilder pb = new ProcessBuilder("node", "e2e/bench.mjs").directory(CONSOLE.toFile()).redirectError(log.toFile());
    pb.environment().putAll(Map.of("BERTH_URL", base, "BERTH_ADMIN_TOKEN", token, "BERTH_ADMIN_USER", "olive",
        "BERTH_ADMIN_PASSWORD", "console-bench-pw", "BERTH_APP", "hello", "BERTH_ENGINE", engine));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException("e2e/bench.mjs failed:\n" + out + Files.readString(log));
    return Json.MAPPER.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  private static void report(JsonNode r) {
    System.out.println("== console: Debian's chromium against berth dev (node 46), median of " + r.path("runs").asInt() + " cold loads");
    double bytes = r.path("load_bytes").asDouble();
    double index = r.path("index_bytes").asDouble();
    System.out.printf("first load: %d requests, %.1f KiB on the wire (gzip); index.html alone %.1f KiB: %.1fx%n",
        r.path("load_requests").asInt(), bytes / 1024, index / 1024, bytes / index);
    System.out.printf("time to interactive (sign-in form usable): %.0f ms; index.html alone to its load event %.0f ms: %.1fx%n",
        r.path("interactive_ms").asDouble(), r.path("index_ms").asDouble(), r.path("interactive_ms").asDouble() / r.path("index_ms").asDouble());
    System.out.printf("sign-in submit to dashboard painted with data: %.0f ms%n", r.path("dashboard_ms").asDouble());
    System.out.printf("instance killed to app page showing it: median %d ms; polling /v1/apps/hello/instances every 20 ms: %d ms (%.1fx)%n",
        r.path("change_page_ms").asLong(), r.path("change_api_ms").asLong(),
        r.path("change_page_ms").asDouble() / Math.max(1, r.path("change_api_ms").asDouble()));
    System.out.printf("the page's own delay over the API (median of each kill's page - api): %d ms%n", r.path("change_extra_ms").asLong());
    System.out.printf("change events on an administrator's stream in 20 s of a quiet cluster: %d%n", r.path("idle_events_20s").asInt());
    System.out.println("each kill (ms after the kill started: docker kill returned, API changed, page changed): " + r.path("changes"));
  }

  private static int running(String base, String token) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/apps/hello/instances"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) return 0;
    int n = 0;
    for (JsonNode i : Json.MAPPER.readTree(r.body())) if (i.path("state").asText().equalsIgnoreCase("running")) n++;
    return n;
  }

  private static void call(String base, String token, String method, String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
  }
}

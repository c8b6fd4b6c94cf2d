package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.ContainerSpec;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench app}: a 6-instance app on three local engines (nodes 33-35) behind
 * {@code berth router} and Debian's nginx, with {@code wrk} sending requests through nginx during
 * a rolling deploy, a canary + promote and a scale 6 → 2 → 6: requests served, failed (non-2xx
 * and socket errors) and p99 for each; the time from an instance turning healthy to nginx sending
 * it traffic; and the rolling deploy's time against the engines' own limit (the same six
 * containers created and started one after another on the engines directly, as a rolling deploy
 * with {@code max_surge: 1} must).
 */
final class AppBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String HOST = "hello.berth.local";
  static final String MANIFEST = """
      name: hello
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www && echo $BERTH_APP_VERSION $INSTANCE_INDEX > /www/index.html && exec httpd -f -p 8080 -h /www"]
      instances: 6
      memory: 16m
      ports: [8080]
      health: {http: /, port: 8080, interval: 2s, timeout: 1s, start_timeout: 30s}
      routes: [hello.berth.local]
      deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 1s}
      """;

  private AppBench() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-app");
    try (LocalEngines engines = LocalEngines.builder().nodes(3).firstNode(33).baseDir(dir.resolve("engines")).start()) {
      for (LocalEngine e : engines.engines()) LrpBench.docker("unix://" + e.socket(), "tag", "berth/busybox:1", "berth/busybox:2");
      double direct = sequential(engines.engines(), 6);
      List<Process> processes = new ArrayList<>();
      try {
        Cluster c = cluster(dir, engines.engines(), processes);
        deploy(c, MANIFEST, "initial deploy");
        List<String> rows = new ArrayList<>();
        JsonNode first = Json.MAPPER.readTree(BerthJar.get(c.api(), c.data(), "/v1/apps/hello/instances")).get(0);
        String direct1 = "http://" + first.path("address").asText() + ":" + first.path("ports").get(0).path("host_port").asText() + "/";
        rows.add(underLoad(direct1, "baseline: one instance directly, no change", () -> Thread.sleep(8000)));
        rows.add(underLoad(c, "baseline: through nginx, no change", () -> Thread.sleep(8000)));
        rows.add(underLoad(c, "rolling deploy v1 -> v2 (6 instances)", () -> deploy(c, "name: hello\nimage: berth/busybox:2\n", "rolling")));
        double rollingOnly = lastDeploySeconds;
        rows.add(underLoad(c, "canary (1) + promote v2 -> v3", () -> {
          deploy(c, "name: hello\nimage: berth/busybox:1\ndeploy: {strategy: canary, canaries: 1, max_surge: 1, max_unavailable: 0, min_healthy: 1s}\n", "canary");
          Thread.sleep(3000);
          post(c, "/v1/apps/hello/promote", "");
          awaitOver(c, "promote");
        }));
        rows.add(underLoad(c, "scale 6 -> 2 -> 6", () -> {
          post(c, "/v1/apps/hello/scale", "{\"instances\": 2}");
          awaitOver(c, "scale down");
          post(c, "/v1/apps/hello/scale", "{\"instances\": 6}");
          awaitOver(c, "scale up");
        }));
        double[] toTraffic = toTraffic(c, 5);
        System.out.printf("== app: 6 instances of berth/busybox:1 httpd on 3 engines, wrk -t2 -c8 through berth router + nginx 1.22%n");
        System.out.println(header());
        rows.forEach(System.out::println);
        System.out.printf("instance RUNNING -> nginx sends it traffic, %d samples: median %.0f ms, max %.0f ms%n", toTraffic.length,
            LrpBench.median(toTraffic) * 1000, Arrays.stream(toTraffic).max().orElse(0) * 1000);
        System.out.printf("rolling deploy of 6 (max_surge 1, min_healthy 1s): %.1f s; the engines creating and starting 6 containers "
            + "one after another: %.1f s (%.1fx); the deploy's floor with min_healthy and the 1 s drain grace: %.1f s%n",
            rollingOnly, direct, rollingOnly / direct, direct + 6 * 2.0);
      } finally {
        stop(processes, engines.engines());
      }
    }
  }

  /** Stops the processes, SIGTERM first (the router stops its nginx then; a SIGKILLed router leaves nginx serving), and removes every container. */
  static void stop(List<Process> processes, List<LocalEngine> engines) throws Exception {
    for (Process p : processes) p.destroy();
    for (Process p : processes) if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    for (LocalEngine e : engines) {
      for (String id : LrpBench.docker("unix://" + e.socket(), "ps", "-aq").lines().filter(l -> !l.isBlank()).toList()) {
        LrpBench.docker("unix://" + e.socket(), "rm", "-f", id);
      }
    }
  }

  record Cluster(int api, Path data, int routerPort) {}

  static Cluster cluster(Path dir, List<LocalEngine> engines, List<Process> processes) throws Exception {
    return cluster(dir, engines, processes, List.of(), List.of());
  }

  /** A manager, an agent per engine and a router; {@code managerArgs} and {@code agentArgs} are added to their command lines. */
  static Cluster cluster(Path dir, List<LocalEngine> engines, List<Process> processes, List<String> managerArgs, List<String> agentArgs)
      throws Exception {
    int api = BerthJar.freePort();
    int cluster = BerthJar.freePort();
    Path mdata = dir.resolve("manager");
    List<String> manage = new ArrayList<>(List.of("manage", "--store", "sqlite://" + dir.resolve("berth.db"),
        "--data", mdata.toString(), "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + cluster,
        "--docker-addr", "127.0.0.1:" + BerthJar.freePort()));
    manage.addAll(managerArgs);
    Process manager = BerthJar.start(dir.resolve("manager.log"), manage.toArray(String[]::new));
    processes.add(manager);
    BerthJar.await(manager, dir.resolve("manager.log"), "berth manager is running", Duration.ofSeconds(30));
    String token = Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/join-token")).path("token").asText();
    for (LocalEngine e : engines) {
      Path log = dir.resolve("agent-" + e.name() + ".log");
      List<String> join = new ArrayList<>(List.of("join", "--manager", "127.0.0.1:" + cluster, "--token", token,
          "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(), "--data", dir.resolve("agent-" + e.name()).toString()));
      join.addAll(agentArgs);
      Process a = BerthJar.start(log, join.toArray(String[]::new));
      processes.add(a);
      BerthJar.await(a, log, "node-registered", Duration.ofSeconds(30));
    }
    int routerPort = BerthJar.freePort();
    Path log = dir.resolve("router.log");
    Process router = BerthJar.start(log, "router", "--manager", "http://127.0.0.1:" + api, "--token",
        Files.readString(mdata.resolve("admin.token")).trim(), "--group", "default", "--listen", "127.0.0.1:" + routerPort,
        "--data", dir.resolve("router").toString());
    processes.add(router);
    BerthJar.await(router, log, "berth router ready", Duration.ofSeconds(30));
    Thread.sleep(2000);
    return new Cluster(api, mdata, routerPort);
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  static volatile double lastDeploySeconds;

  /** Runs {@code step} while wrk sends requests through the router; one row of the table. */
  static String underLoad(Cluster c, String label, Step step) throws Exception {
    return underLoad("http://127.0.0.1:" + c.routerPort() + "/", label, step);
  }

  static String underLoad(String url, String label, Step step) throws Exception {
    Wrk wrk = Wrk.start(url, HOST, 8, 90);
    Thread.sleep(1000);
    long t0 = System.nanoTime();
    step.run();
    double took = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(1000);
    return row(label, wrk.stop(), took);
  }

  /** One row of the table under {@link #header()}; {@code took} is how long the step under load took. */
  static String row(String label, Wrk.Result r, double took) {
    return String.format("%-40s %9d %7.0f %9d %9d %8.1fms   (%.1f s)%s", label, r.requests(), r.perSecond(), r.non2xx(), r.socketErrors(),
        r.p99Millis(), took, r.socketErrors() > 0 ? "  socket errors: " + r.socketSplit() : "");
  }

  static String header() {
    return String.format("%-40s %9s %7s %9s %9s %10s", "during", "requests", "req/s", "non-2xx", "sock-err", "p99");
  }

  static void deploy(Cluster c, String manifest, String what) throws Exception {
    long t0 = System.nanoTime();
    post(c, "/v1/apps", manifest);
    awaitOver(c, what);
    lastDeploySeconds = (System.nanoTime() - t0) / 1e9;
  }

  /** Waits until the app's rollout succeeded, or waits as a canary. */
  static void awaitOver(Cluster c, String what) throws Exception {
    awaitOver(c, "hello", what);
  }

  static void awaitOver(Cluster c, String appName, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode app = Json.MAPPER.readTree(BerthJar.get(c.api(), c.data(), "/v1/apps/" + appName));
      String phase = app.path("rollout").path("phase").asText();
      if (phase.equals("succeeded") || phase.equals("canary")) return;
      if (phase.equals("failed") || phase.equals("aborted")) throw new IllegalStateException(what + ": " + app.path("rollout"));
      Thread.sleep(50);
    }
    throw new IllegalStateException(what + ": not done in 5 minutes");
  }

  /** Scales 6 → 7 (→ 6) {@code samples} times: from the 7th instance's RUNNING to the first answer it gives through nginx. */
  static double[] toTraffic(Cluster c, int samples) throws Exception {
    double[] out = new double[samples];
    for (int s = 0; s < samples; s++) {
      post(c, "/v1/apps/hello/scale", "{\"instances\": 7}");
      String guid = "";
      long runningAt = 0;
      while (runningAt == 0) {
        for (JsonNode i : Json.MAPPER.readTree(BerthJar.get(c.api(), c.data(), "/v1/apps/hello/instances"))) {
          if (i.path("index").asInt() == 6 && i.path("state").asText().equals("RUNNING")) {
            Instant since = Instant.parse(i.path("since").asText());
            runningAt = since.getEpochSecond() * 1_000_000_000L + since.getNano();
            guid = i.path("instance_guid").asText();
          }
        }
        Thread.sleep(5);
      }
      while (!once(c.routerPort()).endsWith(" 6")) Thread.sleep(2);
      Instant now = Instant.now();
      out[s] = (now.getEpochSecond() * 1_000_000_000L + now.getNano() - runningAt) / 1e9;
      awaitOver(c, "scale to 7");
      post(c, "/v1/apps/hello/scale", "{\"instances\": 6}");
      awaitOver(c, "scale back " + guid);
    }
    return out;
  }

  /** One request through the router: the body's text, trimmed. */
  static String once(int port) throws IOException {
    return once(port, HOST, "/");
  }

  /** One request for {@code path} through the router with {@code Host: host}: the body's text, trimmed. */
  static String once(int port, String host, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream o = s.getOutputStream();
      o.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = text.indexOf("\r\n\r\n");
      return body < 0 ? "" : text.substring(body + 4).trim();
    }
  }

  /** {@code n} containers created and started one after another, round-robin over the engines: a rolling deploy's own floor. */
  static double sequential(List<LocalEngine> engines, int n) throws Exception {
    List<String[]> made = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      LocalEngine e = engines.get(i % engines.size());
      String id = e.engine().create(ContainerSpec.of("berth/busybox:1", "httpd", "-f", "-p", "8080"));
      e.engine().start(id);
      made.add(new String[] {e.socket(), id});
    }
    double s = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < made.size(); i++) engines.get(i % engines.size()).engine().remove(made.get(i)[1], true);
    return s;
  }

  /** POSTs {@code body} with the admin token; the answer's body, or an exception when it is not a 2xx. */
  static String post(Cluster c, String path, String body) throws Exception {
    return send(c, "POST", path, body);
  }

  static String send(Cluster c, String method, String path, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.api() + path))
        .header("Authorization", "Bearer " + Files.readString(c.data().resolve("admin.token")).trim())
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    return r.body();
  }
}

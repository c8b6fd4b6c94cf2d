package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.bench.AppBench.Cluster;
import io.berth.bench.RunTimes.Segment;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench build}: code builds on real parts — two local engines (nodes 43, 44) whose
 * agents take builds, the manager's registry, Debian's {@code git daemon}, {@code berth router} and
 * nginx. Side by side in one run: the prepare step of the same commit with its m2 cache cold and
 * warm; {@code docker build} on the engine alone against the same Dockerfile built through a Berth
 * run (clone and push apart); and push-to-canary, from {@code git push} and a GitLab webhook to the
 * canary's first answer through nginx, cut into steps.
 */
final class BuildBench {
  static final int ROUNDS = 5;
  static final Path LOADAVG = Path.of("/proc/loadavg");
  /** A prepare step that "downloads" 2,000 artifacts into the m2 cache on its first run and reads them on the next. */
  static final String PREPARE = """
      steps:
        - name: deps
          image: berth/busybox:1
          caches: [m2]
          run: |
            r=/root/.m2/repository
            if [ -f $r/done ]; then
              cat $r/g*/a*/*.jar > /dev/null; echo "m2 cache warm: $(ls $r/g*/a*/*.jar | wc -l) artifacts read"
            else
              echo "downloading 2000 artifacts"
              for g in $(seq 1 40); do for a in $(seq 1 50); do
                mkdir -p $r/g$g/a$a; dd if=/dev/urandom of=$r/g$g/a$a/a$a.jar bs=16k count=1 2>/dev/null; echo pom > $r/g$g/a$a/a$a.pom
              done; done
              touch $r/done
            fi
      """;
  /** An image that does some work of its own: a context of 200 files, and a RUN that writes %d more of 8 KiB. */
  static final String DOCKERFILE = """
      FROM berth/busybox:1
      COPY www /www
      RUN for i in $(seq 1 %d); do dd if=/dev/urandom of=/www/gen-$i bs=8k count=1 2>/dev/null; done
      """;

  private BuildBench() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-build");
    int registry = BerthJar.freePort();
    try (LocalEngines engines = LocalEngines.builder().nodes(2).firstNode(43).baseDir(dir.resolve("engines")).start();
         GitDaemon git = GitDaemon.start(dir)) {
      List<Process> processes = new ArrayList<>();
      try {
        Cluster c = AppBench.cluster(dir, engines.engines(), processes, List.of("--registry-addr", "127.0.0.1:" + registry),
            List.of("--label", "berth.build=true"));
        Path site = git.create("site", siteFiles("v1", 300));
        Path big = git.create("big", siteFiles("v1", 3000));
        git.create("deps", Map.of("berth-build.yml", PREPARE, "Dockerfile", "FROM berth/busybox:1\n"));
        create(c, "bench-deps", git.url("deps"), "bench/deps");
        create(c, "bench-site", git.url("site"), "bench/site");
        create(c, "bench-big", git.url("big"), "bench/big");
        System.out.printf("== build: 2 engines (nodes 43, 44) taking builds, the manager's registry, git daemon, berth router + nginx; "
            + "load average %s", Files.readString(LOADAVG));
        try {
          cache(c);
        } catch (RuntimeException e) { // the other two parts do not need this one
          System.out.println("cache: FAILED: " + e.getMessage());
        }
        String v1 = image(c, engines, "bench-site", site, "RUN writing 300 files");
        try {
          image(c, engines, "bench-big", big, "RUN writing 3,000 files");
        } catch (RuntimeException e) {
          System.out.println("image: FAILED: " + e.getMessage());
        }
        List<Segment> toCanary = pushToCanary(c, site, v1);
        System.out.printf("-- push-to-canary: git push, GitLab webhook, build on its node, push, canary deploy, nginx%n");
        for (Segment s : toCanary) System.out.printf("%-58s %8d ms%n", s.what(), s.millis());
        System.out.printf("%-58s %8d ms%n", "total", RunTimes.total(toCanary));
        System.out.printf("load average at the end: %s", Files.readString(LOADAVG));
      } finally {
        AppBench.stop(processes, engines.engines());
      }
    }
  }

  /** The prepare step of the same commit, run after run: cold, then warm twice. */
  static void cache(Cluster c) throws Exception {
    System.out.printf("-- cache: prepare step of the same commit, 2,000 jars of 16 KiB and their poms in the m2 cache%n");
    for (int i = 0; i < 3; i++) {
      JsonNode r = runAndWait(c, "bench-deps", "{}");
      System.out.printf("run %d (%s) on %s: prepare %6d ms   %s%n", i + 1, i == 0 ? "cold" : "warm", r.path("node").asText(),
          RunTimes.step(r, "prepare"), prepareSays(c, "bench-deps", r));
    }
  }

  /**
   * {@code docker build} alone and Berth runs of {@code build}, both without caches, one after the
   * other in alternating order, on the node the build lands on; the image its last run pushed.
   */
  static String image(Cluster c, LocalEngines engines, String build, Path site, String what) throws Exception {
    JsonNode first = runAndWait(c, build, "{}"); // the node, and the base image in its build cache
    LocalEngine node = engines.engines().stream().filter(e -> e.name().equals(first.path("node").asText())).findFirst().orElseThrow();
    double cli = DirectBuild.cliStart(node, site);
    double[] direct = new double[ROUNDS];
    JsonNode[] berth = new JsonNode[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      if (i % 2 == 1) berth[i] = runAndWait(c, build, "{\"no_cache\": true}");
      direct[i] = DirectBuild.millis(node, site, "bench/direct:" + i);
      if (i % 2 == 0) berth[i] = runAndWait(c, build, "{\"no_cache\": true}");
    }
    System.out.printf("-- image (%s): docker build --no-cache on %s alone vs a Berth run --no-cache, same Dockerfile and context%n",
        what, node.name());
    System.out.printf("%-6s %10s %10s %8s %10s %10s %10s %12s %14s%n", "round", "docker ms", "image ms", "ratio", "clone ms", "push ms",
        "prepare ms", "whole run ms", "run-clone-push");
    double[] image = new double[ROUNDS];
    double[] lessCloneAndPush = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      JsonNode r = berth[i];
      image[i] = RunTimes.step(r, "image");
      lessCloneAndPush[i] = RunTimes.wholeLessCloneAndPush(r);
      System.out.printf("%-6d %10.0f %10.0f %7.3fx %10d %10d %10d %12d %14.0f%n", i + 1, direct[i], image[i], image[i] / direct[i],
          RunTimes.step(r, "clone"), RunTimes.step(r, "push"), RunTimes.step(r, "prepare"), RunTimes.whole(r), lessCloneAndPush[i]);
    }
    double runOverhead = RunTimes.overheadPercent(lessCloneAndPush, direct);
    System.out.printf("median: docker build %.0f ms; berth's image step %.0f ms (%+.1f %%); the whole run less clone and push %.0f ms "
        + "(%+.1f %%); aim <= +5 %% plus clone and push: %s%n", LrpBench.median(direct), LrpBench.median(image),
        RunTimes.overheadPercent(image, direct), LrpBench.median(lessCloneAndPush), runOverhead, runOverhead <= 5 ? "met" : "NOT met");
    System.out.printf("(docker ms includes the docker CLI's start: docker version takes %.0f ms)%n", cli);
    return berth[ROUNDS - 1].path("image").asText();
  }

  static Map<String, String> siteFiles(String version, int generated) {
    Map<String, String> files = new HashMap<>(Map.of("Dockerfile", DOCKERFILE.formatted(generated, generated), ".dockerignore", ".git\n",
        "www/index.html", version + "\n"));
    for (int i = 0; i < 200; i++) files.put("www/static/f" + i + ".txt", ("static file " + i + "\n").repeat(100));
    return files;
  }

  static void create(Cluster c, String name, String url, String image) throws Exception {
    AppBench.post(c, "/v1/builds", Json.MAPPER.writeValueAsString(Map.of("name", name, "git_url", url, "image", image)));
  }

  /** Queues a run of {@code build} and waits for it to end; its record. Fails when the run did not end ok. */
  static JsonNode runAndWait(Cluster c, String build, String body) throws Exception {
    int number = Json.MAPPER.readTree(AppBench.post(c, "/v1/builds/" + build + "/runs", body)).path("number").asInt();
    return awaitRun(c, build, number);
  }

  /**
   * Waits for run {@code number} to end as {@code berth build run} does: it follows the run's log
   * ({@code ?follow=1}, which ends with the run), then reads the record. Asking for the record every
   * few milliseconds instead would put the bench's own requests on the cores the build runs on. When the
   * log cannot be followed, it says so and asks for the record every 50 ms.
   */
  static JsonNode awaitRun(Cluster c, String build, int number) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    String run = "/v1/builds/" + build + "/runs/" + number;
    if (!BerthJar.follow(c.api(), c.data(), run + "/log?follow=1", Duration.ofMinutes(10))) {
      System.out.printf("(%s run %d: its log could not be followed; waiting by asking for the record every 50 ms)%n", build, number);
    }
    while (System.nanoTime() < deadline) {
      String text = BerthJar.get(c.api(), c.data(), run);
      JsonNode record = text == null ? null : Json.MAPPER.readTree(text);
      if (record != null && record.path("ended_at").isTextual()) {
        if (!record.path("state").asText().equals("ok")) throw new IllegalStateException(build + " run " + number + " did not succeed: " + record);
        return record;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(build + " run " + number + ": not over in 10 minutes");
  }


  /** The prepare step's own line about its cache, from the run's log. */
  static String prepareSays(Cluster c, String build, JsonNode run) {
    String log = BerthJar.get(c.api(), c.data(), "/v1/builds/" + build + "/runs/" + run.path("number").asInt() + "/log");
    if (log == null) return "(no log)";
    return log.lines().filter(l -> l.contains("downloading") || l.contains("m2 cache warm")).findFirst().orElse("(no cache line)").strip();
  }

  /**
   * Deploys v1 of the site as a canary app, lets the build deploy to it, then commits v2, pushes it,
   * calls the build's webhook as GitLab would and waits for v2's first answer through nginx.
   */
  static List<Segment> pushToCanary(Cluster c, Path site, String v1) throws Exception {
    AppBench.deploy(c, """
        name: hello
        image: %s
        command: [httpd, -f, -p, "8080", -h, /www]
        instances: 2
        memory: 32m
        ports: [8080]
        health: {http: /, port: 8080, interval: 1s, timeout: 1s, start_timeout: 30s}
        routes: [%s]
        deploy: {strategy: canary, canaries: 1}
        """.formatted(v1, AppBench.HOST), "site v1");
    awaitServed(c, "v1");
    AppBench.send(c, "PUT", "/v1/builds/bench-site", "{\"deploy\": \"hello\"}");
    String secret = Json.MAPPER.readTree(BerthJar.get(c.api(), c.data(), "/v1/builds/bench-site")).path("hook_secret").asText();
    String commit = GitDaemon.commit(site, Map.of("www/index.html", "v2\n"), "v2");

    Instant pushStart = Instant.now();
    GitDaemon.run(site, "push", "-q", "origin", "main");
    Instant pushed = Instant.now();
    int number = gitlabPush(c, "bench-site", secret, commit);
    JsonNode run = awaitRun(c, "bench-site", number);
    awaitServed(c, "v2");
    Instant firstNew = Instant.now();
    return RunTimes.pushToCanary(run, pushStart, pushed, firstNew);
  }

  /** Waits until nginx answers {@code version} for the app; polls every 10 ms. */
  static void awaitServed(Cluster c, String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!answers(c, version)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException(version + " did not answer through nginx in 3 minutes");
      Thread.sleep(10);
    }
  }

  private static boolean answers(Cluster c, String version) {
    try {
      return AppBench.once(c.routerPort()).equals(version);
    } catch (IOException e) { // nginx between two configurations: ask again
      return false;
    }
  }

  /** The build's webhook called with a GitLab push event of {@code commit} on main, as GitLab sends it; the run it queued. */
  static int gitlabPush(Cluster c, String build, String secret, String commit) throws Exception {
    String body = """
        {"object_kind": "push", "event_name": "push", "before": "0000000000000000000000000000000000000000", "after": "%1$s",
         "ref": "refs/heads/main", "checkout_sha": "%1$s", "user_username": "bench", "project": {"name": "site", "default_branch": "main"},
         "commits": [{"id": "%1$s", "message": "v2\\n", "title": "v2"}], "total_commits_count": 1}
        """.formatted(commit);
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.api() + "/v1/builds/" + build + "/hook"))
        .header("Content-Type", "application/json").header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", secret)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) throw new IllegalStateException("the webhook answered " + r.statusCode() + ": " + r.body());
      return Json.MAPPER.readTree(r.body()).path("run").asInt();
    }
  }
}

package io.berth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager end to end at scale, on hollow nodes ({@code berth sim}): a manager on SQLite, N
 * hollow nodes joined by sim processes (at most {@value #PER_SIM} each: a process here may hold
 * 20,000 files), each hollow engine starting with K running containers. Then the real docker CLI
 * against the manager: {@code docker run -d}, {@code docker ps}, {@code docker info}, as p50/p99,
 * and the manager's heap and RSS. The baseline in the same run is the same manager with 10 hollow
 * nodes, so the ratios say what the cluster's size costs; classic Swarm's published figures are
 * printed beside for reference, not measured here.
 *
 * <p>Sizes come from {@code BERTH_SIM_SIZES} (default {@code 1000x30,10000x10}: nodes x containers per node).
 */
final class SimBench {
  static final int PER_SIM = 4000;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SimBench() {}

  /**
   * {@code psManager}: the manager's part of {@code docker ps} (its answer read whole); {@code psFloor}: the CLI against a static server
   * with the same rows; {@code downs}: nodes marked down during the run (their lease expired), each a false one, as every hollow node
   * stays alive.
   */
  record Result(int nodes, int containers, double joinSeconds, double syncSeconds, List<Double> run, List<Double> ps, List<Double> info,
                long heapMib, long rssMib, List<Double> psManager, List<Double> psFloor, long downs) {}

  static void run() throws Exception {
    String sizes = System.getenv().getOrDefault("BERTH_SIM_SIZES", "1000x30,10000x10");
    System.out.println("== the manager end to end on hollow nodes (berth sim); docker CLI timings p50 / p99 in ms");
    System.out.println(String.format(Locale.ROOT, "%-22s %9s %9s %17s %17s %17s %9s %9s", "cluster", "join s", "sync s",
        "docker run -d", "docker ps", "docker info", "heap MiB", "RSS MiB"));
    Result base = measure(10, 10, 20);
    row(base, null);
    for (String size : sizes.split(",")) {
      String[] nk = size.strip().split("x");
      row(measure(Integer.parseInt(nk[0]), Integer.parseInt(nk[1]), 20), base); // printed as it comes: a large run takes minutes
    }
    System.out.println("reference (published, not measured here): classic Swarm 1.0, 1,000 nodes / 30,000 containers:"
        + " docker run p99 400 ms, docker ps p99 360 ms");
  }

  private static void row(Result r, Result base) {
    String name = String.format(Locale.ROOT, "%,d nodes / %,d", r.nodes(), r.containers());
    System.out.println(String.format(Locale.ROOT, "%-22s %9.1f %9.1f %17s %17s %17s %9d %9d", name, r.joinSeconds(), r.syncSeconds(),
        pp(r.run()), pp(r.ps()), pp(r.info()), r.heapMib(), r.rssMib()));
    System.out.println(String.format(Locale.ROOT, "%-22s docker ps: the manager's answer %s, the CLI over the same rows from a static server %s",
        "", pp(r.psManager()), pp(r.psFloor())));
    System.out.println(String.format(Locale.ROOT, "%-22s nodes marked down during the run: %d (each a false one: every hollow node was alive)",
        "", r.downs()));
    System.out.flush();
    if (base != null) {
      System.out.println(String.format(Locale.ROOT, "%-22s %9s %9s %17s %17s %17s", "  ratio to 10 nodes", "", "",
          ratio(r.run(), base.run()), ratio(r.ps(), base.ps()), ratio(r.info(), base.info())));
    }
  }

  static Result measure(int nodes, int perNode, int samples) throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-sim");
    int cluster = BerthJar.freePort();
    int api = BerthJar.freePort();
    int docker = BerthJar.freePort();
    String dockerHost = "tcp://127.0.0.1:" + docker;
    Process manager = BerthJar.start(dir.resolve("manager.log"), "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
        "--data", dir.resolve("m").toString(), "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + cluster,
        "--docker-addr", "127.0.0.1:" + docker, "--heartbeat", "30s", "--node-ttl", "90s");
    List<Process> sims = new ArrayList<>();
    try {
      // The join line follows the "running" one: reading the token as soon as "running" shows may find it not written yet.
      BerthJar.await(manager, dir.resolve("manager.log"), "--token ", Duration.ofSeconds(60));
      String token = Files.readString(dir.resolve("manager.log")).lines().filter(l -> l.contains("--token "))
          .map(l -> l.substring(l.indexOf("--token ") + 8).split(" ")[0]).findFirst().orElseThrow();
      long t0 = System.nanoTime();
      for (int first = 1, k = 0; first <= nodes; first += PER_SIM, k++) {
        int n = Math.min(PER_SIM, nodes - first + 1);
        sims.add(BerthJar.start(dir.resolve("sim-" + k + ".log"), "sim", "--manager", "127.0.0.1:" + cluster, "--token", token,
            "--nodes", Integer.toString(n), "--first", Integer.toString(first), "--containers", Integer.toString(perNode)));
      }
      awaitTrue(() -> readyNodes(api, dir.resolve("m")) >= nodes, Duration.ofMinutes(20), "all " + nodes + " nodes ready");
      double join = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      int want = nodes * perNode;
      // Every node's cache listed and followed: what a manager that has been up a while answers from.
      awaitTrue(() -> Files.readString(dir.resolve("manager.log")).contains("container-cache-in-step nodes=" + nodes), Duration.ofMinutes(20),
          "the container caches of " + nodes + " nodes in step");
      if (listed(docker) < want) throw new IllegalStateException("fewer than " + want + " containers listed");
      double sync = (System.nanoTime() - t1) / 1e9;
      Thread.sleep(2000); // let the caches finish settling
      List<Double> run = new ArrayList<>();
      List<Double> ps = new ArrayList<>();
      List<Double> info = new ArrayList<>();
      time(dockerHost, "ps", "-q"); // warm the CLI and the paths
      for (int i = 0; i < samples; i++) {
        run.add(time(dockerHost, "run", "-d", "berth/busybox:1", "sleep", "1000"));
        ps.add(time(dockerHost, "ps"));
        info.add(time(dockerHost, "info"));
      }
      List<Double> psManager = new ArrayList<>();
      byte[] rows = null;
      for (int i = 0; i < samples; i++) {
        long s0 = System.nanoTime();
        rows = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + docker + "/v1.41/containers/json")).timeout(Duration.ofSeconds(60))
            .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        psManager.add((System.nanoTime() - s0) / 1e6);
      }
      List<Double> psFloor = new ArrayList<>();
      try (StaticDocker floor = new StaticDocker(rows)) {
        time(floor.host(), "ps", "-q");
        for (int i = 0; i < samples; i++) psFloor.add(time(floor.host(), "ps"));
      }
      long pid = manager.pid();
      long heap = heapAfterGc(pid);
      long rss = BerthJar.rssMib(pid);
      if (nodes >= 1000) { // where the heap goes, for the next cut: the largest classes after the full GC above
        System.out.println("  the manager's heap at " + nodes + " nodes, largest classes (jcmd GC.class_histogram):");
        run("jcmd", Long.toString(pid), "GC.class_histogram").lines().skip(1).limit(17).forEach(l -> System.out.println("    " + l));
      }
      long downs = Files.readString(dir.resolve("manager.log")).lines().filter(l -> l.contains(" node-down node/")).count();
      return new Result(nodes, want, join, sync, run, ps, info, heap, rss, psManager, psFloor, downs);
    } finally {
      for (Process s : sims) s.destroy();
      manager.destroy();
      for (Process s : sims) s.waitFor();
      manager.waitFor();
    }
  }

  private static int readyNodes(int api, Path data) {
    String body = BerthJar.get(api, data, "/v1/nodes");
    if (body == null) return 0;
    int n = 0;
    for (int i = body.indexOf("\"state\":\"ready\""); i >= 0; i = body.indexOf("\"state\":\"ready\"", i + 1)) n++;
    return n;
  }

  /** How many containers the manager's Docker endpoint lists now. */
  private static int listed(int docker) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + docker + "/v1.41/containers/json?all=1"))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return 0;
      int n = 0;
      for (int i = r.body().indexOf("\"Id\":"); i >= 0; i = r.body().indexOf("\"Id\":", i + 1)) n++;
      return n;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static long heapAfterGc(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    String out = run("jcmd", Long.toString(pid), "GC.heap_info");
    // "garbage-first heap   total 123456K, used 65432K"
    Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
  }

  private static String run(String... cmd) throws Exception {
    List<String> full = new ArrayList<>(List.of(cmd));
    full.set(0, Path.of(System.getProperty("java.home"), "bin", cmd[0]).toString());
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static double time(String host, String... args) throws Exception {
    return BerthJar.timeDocker(host, args);
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("not within " + timeout + ": " + what);
      Thread.sleep(500);
    }
  }

  private static String pp(List<Double> xs) {
    return String.format(Locale.ROOT, "%.0f / %.0f", pct(xs, 50), pct(xs, 99));
  }

  private static String ratio(List<Double> xs, List<Double> base) {
    return String.format(Locale.ROOT, "%.2fx / %.2fx", pct(xs, 50) / pct(base, 50), pct(xs, 99) / pct(base, 99));
  }

  static double pct(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }
}

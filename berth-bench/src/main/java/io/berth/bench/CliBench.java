package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * How soon the {@code berth} command answers (issue 18, aim 1): {@code berth dev} through the
 * launcher from the command to its ready line, then {@code version}, {@code nodes}, {@code app ls}
 * and {@code lrp list} (the last three also with {@code --json}) against that manager, 20 runs each, interleaved with {@code docker ps} against
 * its Docker endpoint, the baseline. Each run is timed whole (shell launcher, JVM, the HTTP call),
 * with the CPU it used beside, since on a shared 2-core machine the wall time carries the others' load.
 * Rows: the launcher as shipped (start-up cache made), the launcher with {@code BERTH_AOT=off}, and a
 * previous checkout's launcher when {@code BERTH_BENCH_BASELINE=/path/to/checkout/berth}.
 */
final class CliBench {
  static final List<List<String>> COMMANDS = List.of(List.of("version"), List.of("nodes"), List.of("nodes", "--json"), List.of("app", "ls"),
      List.of("lrp", "list"), List.of("lrp", "list", "--json"));
  static final int RUNS = 20;

  private CliBench() {}

  /** One timed run: wall and CPU (user + system) milliseconds. */
  record Run(double wallMs, double cpuMs) {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    Path launcher = Path.of(System.getProperty("berth.launcher", "berth")).toAbsolutePath();
    String baseline = System.getenv("BERTH_BENCH_BASELINE");
    Path data = Files.createTempDirectory("berth-bench-cli");
    System.out.println("== berth CLI start (aim: <= 150 ms median) and berth dev to a ready node (aim: <= 2 s); engine " + engine);
    System.out.println("load average at start: " + loadAverage());
    int docker = BerthJar.freePort();
    Path log = data.resolve("dev.log");
    List<String> dev = new ArrayList<>(List.of(launcher.toString(), "dev", "--data", data.toString(), "--engine", engine,
        "--api-addr", "127.0.0.1:" + BerthJar.freePort(), "--docker-addr", "127.0.0.1:" + docker,
        "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(), "--agent-addr", "127.0.0.1:" + BerthJar.freePort(),
        "--registry-addr", "127.0.0.1:" + BerthJar.freePort(), "--router-listen", "127.0.0.1:" + BerthJar.freePort(),
        "--metrics-addr", "off", "--name", "benchcli"));
    stop(startDev(dev, log, "first start (creates the cluster)"));
    if (baseline != null) {
      List<String> before = new ArrayList<>(dev);
      before.set(0, baseline);
      for (int i = 0; i < 3; i++) { // interleaved, each on the same data dir
        stop(startDev(before, log, "restart, " + baseline));
        stop(startDev(dev, log, "restart"));
      }
    }
    if (baseline == null) {
      // A user's dev learns a start-up cache of its own over its first starts on a new jar (the first records what
      // it loads, the next makes the cache in the background): the restarts after that are what a user sees daily.
      stop(startDev(dev, log, "restart (its start-up cache made meanwhile)"));
      awaitDevCache(launcher);
      for (int i = 0; i < 2; i++) stop(startDev(dev, log, "restart, from its start-up cache"));
    }
    Process p = startDev(dev, log, "restart on the same data dir");
    commands(launcher, baseline, data, docker);
    System.out.println("load average at end: " + loadAverage());
    stop(p);
  }

  /** Waits (at most a minute) for the launcher's dev start-up cache next to the jar, made in the background; JDK 25+ only. */
  private static void awaitDevCache(Path launcher) throws Exception {
    Path jar = launcher.resolveSibling("berth-cli/target/berth.jar");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline && Runtime.version().feature() >= 25) {
      try (var files = Files.list(jar.getParent())) {
        if (files.anyMatch(f -> f.getFileName().toString().startsWith("berth-dev-") && f.getFileName().toString().endsWith(".aot")
            && f.toFile().lastModified() >= jar.toFile().lastModified())) {
          return;
        }
      }
      Thread.sleep(200);
    }
  }

  /** Starts {@code berth dev} and returns it once it printed its ready line; says how long that took. */
  private static Process startDev(List<String> command, Path log, String what) throws Exception {
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("BERTH_NO_BUILD", "1");
    Process p = pb.start();
    BerthJar.await(p, log, "berth dev is ready", Duration.ofSeconds(60));
    System.out.printf("berth dev, %-44s ready after %.2f s (command to the ready line)%n", what, (System.nanoTime() - t0) / 1e9);
    return p;
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    p.waitFor();
  }

  private static void commands(Path launcher, String baseline, Path data, int docker) throws Exception {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    rows.put("berth (launcher, start-up cache)", Map.of("BERTH_DATA", data.toString()));
    rows.put("berth, BERTH_AOT=off", Map.of("BERTH_DATA", data.toString(), "BERTH_AOT", "off"));
    if (baseline != null) rows.put("berth of " + baseline, Map.of("BERTH_DATA", data.toString(), "BERTH_NO_BUILD", "1"));
    // The first client command makes the cache in the background (these lines' own, the quick path's): wait for it, as a user's
    // second command would find it.
    time(launcher.toString(), List.of("version"), rows.values().iterator().next());
    awaitCache(launcher.getParent().resolve("berth-cli/target"));
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int i = 0; i < RUNS; i++) {
      runs.computeIfAbsent("docker -H tcp://... ps", k -> new ArrayList<>())
          .add(time("docker", List.of("-H", "tcp://127.0.0.1:" + docker, "ps"), Map.of()));
      for (List<String> command : COMMANDS) {
        for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
          String program = row.getKey().startsWith("berth of ") ? baseline : launcher.toString();
          runs.computeIfAbsent(row.getKey() + ": " + String.join(" ", command), k -> new ArrayList<>()).add(time(program, command, row.getValue()));
        }
      }
    }
    double dockerMs = median(runs.get("docker -H tcp://... ps"), Run::wallMs);
    System.out.printf("%-58s %10s %10s %12s%n", "(" + RUNS + " runs each, interleaved)", "wall p50", "cpu p50", "wall / docker");
    runs.forEach((what, list) -> System.out.printf("%-58s %7.0f ms %7.0f ms %11.1fx%n", what, median(list, Run::wallMs),
        median(list, Run::cpuMs), median(list, Run::wallMs) / dockerMs));
  }

  /** Runs {@code program args} with {@code env} under /usr/bin/time; fails when the command does. */
  static Run time(String program, List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    Path times = Files.createTempFile("berth-bench-time", ".txt");
    try {
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), program));
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      int exit = pb.start().waitFor();
      double wall = (System.nanoTime() - t0) / 1e6;
      if (exit != 0) throw new IllegalStateException("failed (exit " + exit + "): " + String.join(" ", cmd));
      String[] cpu = Files.readString(times).trim().split("\\s+");
      return new Run(wall, (Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1])) * 1000);
    } finally {
      Files.deleteIfExists(times);
    }
  }

  private static void awaitCache(Path target) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> names;
      try (Stream<Path> files = Files.list(target)) {
        names = files.map(f -> f.getFileName().toString()).toList();
      }
      if (names.stream().anyMatch(n -> n.endsWith(".aot")) && names.stream().noneMatch(n -> n.endsWith(".aot.lock"))) return;
      Thread.sleep(200);
    }
    System.out.println("(no start-up cache in " + target + " after 120 s: the cached row runs without one)");
  }

  static double median(List<Run> runs, ToDoubleFunction<Run> field) {
    double[] v = runs.stream().mapToDouble(field).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).trim() + " (2 cores shared with other sessions)";
  }
}

package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth dev}: time from process start to the API answering and to the ready line, first
 * start (new cluster) and restarts, and resident memory after 10 s idle (the last restart also at 1 and
 * 3 minutes: a JVM that keeps compiling grows); as the launcher runs it
 * (serial collector, a 16 MB initial heap, C1 alone, its AOT cache) beside the same jar on the JVM's defaults
 * ({@code java -jar}: G1, an initial heap of 1/64 of the RAM, no cache). The baseline is the same
 * JVM running {@code berth version}: its time and its peak resident memory ({@code /usr/bin/time}).
 */
final class DevBench {

  /** Seconds after the ready line at which resident memory is read: each start, and the last one held idle longer. */
  private static final int[] IDLE = {10};
  private static final int[] HELD = {10, 60, 180};

  private DevBench() {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    Path data = Files.createTempDirectory("berth-bench-dev");
    System.out.println("== berth dev: start to API answering and ready, idle memory (engine " + engine + ")");
    version(data, false);
    version(data, true);
    for (boolean launcher : new boolean[] {false, true}) {
      Path dir = Files.createTempDirectory(data, launcher ? "launcher" : "defaults");
      String how = launcher ? "launcher" : "java -jar";
      start(dir, engine, launcher, how + ", first start (creates the cluster)", IDLE);
      for (int i = 1; i <= 3; i++) start(dir, engine, launcher, how + ", restart " + i + " on the same data dir", i < 3 ? IDLE : HELD);
    }
    System.out.println("aims: ready <= 2 s (issue 18), idle RSS <= 150 MiB for the manager and agent process (issue 18)");
  }

  /** The same JVM running {@code berth version}: wall time and peak RSS. */
  private static void version(Path data, boolean launcher) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M"));
    cmd.addAll(command(launcher, "version"));
    Path err = data.resolve("version.err");
    long t0 = System.nanoTime();
    Process p = process(cmd).redirectError(err.toFile()).start();
    p.getInputStream().readAllBytes();
    p.waitFor();
    double s = (System.nanoTime() - t0) / 1e9;
    List<String> lines = Files.readAllLines(err);
    long kib = lines.isEmpty() ? -1 : Long.parseLong(lines.get(lines.size() - 1).strip());
    System.out.printf("baseline: %-10s berth version  %.2f s, peak RSS %d MiB%n", launcher ? "launcher" : "java -jar", s, kib / 1024);
  }

  private static List<String> command(boolean launcher, String... args) {
    List<String> cmd = new ArrayList<>();
    if (launcher) {
      cmd.add(BerthJar.LAUNCHER.toString());
    } else {
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow", "-jar", BerthJar.JAR.toString()));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static ProcessBuilder process(List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("BERTH_NO_BUILD", "1"); // the jar scripts/bench just built; the launcher never rebuilds
    pb.environment().remove("BERTH_JAVA_OPTS");
    return pb;
  }

  private static void start(Path data, String engine, boolean launcher, String what, int[] readAt) throws Exception {
    int api = BerthJar.freePort();
    Path log = data.resolve("dev-" + System.nanoTime() + ".log");
    long t0 = System.nanoTime();
    Process p = process(command(launcher, "dev", "--data", data.toString(), "--engine", engine, "--api-addr", "127.0.0.1:" + api,
        "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(), "--agent-addr", "127.0.0.1:" + BerthJar.freePort(), "--name", "benchdev",
        "--docker-addr", "127.0.0.1:" + BerthJar.freePort(), "--no-router", "--no-registry")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      while (BerthJar.get(api, data, "/v1/nodes") == null) {
        if (!p.isAlive()) throw new IllegalStateException("berth dev exited:\n" + Files.readString(log));
        Thread.sleep(10);
      }
      double answers = (System.nanoTime() - t0) / 1e9;
      BerthJar.await(p, log, "berth dev is ready", Duration.ofSeconds(30));
      double ready = (System.nanoTime() - t0) / 1e9;
      StringBuilder rss = new StringBuilder();
      int slept = 0;
      for (int s : readAt) {
        Thread.sleep((s - slept) * 1000L);
        slept = s;
        rss.append(rss.isEmpty() ? "" : ", ").append(BerthJar.rssMib(p.pid())).append(" MiB").append(readAt.length > 1 ? " at " + s + " s" : "");
      }
      System.out.printf("%-50s API after %.2f s, ready after %.2f s; idle RSS %s%n", what, answers, ready, rss);
    } finally {
      stop(p);
    }
  }

  /** SIGTERM, as Ctrl-C: the launcher's dev run records its AOT configuration as it stops. */
  private static void stop(Process p) throws IOException, InterruptedException {
    p.destroy();
    p.waitFor();
  }
}

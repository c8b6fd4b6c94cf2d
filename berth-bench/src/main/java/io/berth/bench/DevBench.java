package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code berth dev}: time from process start to the API answering, first start (new cluster) and
 * restart, and resident memory when idle. The baseline is a bare JVM running {@code berth version},
 * the floor any Java program pays to start here.
 */
final class DevBench {
  private DevBench() {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    Path data = Files.createTempDirectory("berth-bench-dev");
    long t0 = System.nanoTime();
    Process v = BerthJar.start(data.resolve("version.log"), "version");
    v.waitFor();
    double jvmFloor = (System.nanoTime() - t0) / 1e9;
    System.out.println("== berth dev: start to API answering, idle memory (engine " + engine + ")");
    double first = start(data, engine, "first start (creates the cluster)");
    double again = start(data, engine, "restart on the same data dir");
    System.out.printf("baseline: 'berth version' (JVM start and exit) %.2f s; dev start is %.1fx / %.1fx that (aim: <= 3 s)%n",
        jvmFloor, first / jvmFloor, again / jvmFloor);
  }

  private static double start(Path data, String engine, String what) throws Exception {
    int api = BerthJar.freePort();
    Path log = data.resolve("dev-" + System.nanoTime() + ".log");
    long t0 = System.nanoTime();
    Process p = BerthJar.start(log, "dev", "--data", data.toString(), "--engine", engine, "--api-addr", "127.0.0.1:" + api,
        "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(), "--agent-addr", "127.0.0.1:" + BerthJar.freePort(), "--name", "benchdev");
    try {
      while (BerthJar.get(api, data, "/v1/nodes") == null) {
        if (!p.isAlive()) throw new IllegalStateException("berth dev exited:\n" + Files.readString(log));
        Thread.sleep(10);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      BerthJar.await(p, log, "berth dev is ready", Duration.ofSeconds(30));
      Thread.sleep(10_000);
      System.out.printf("%-36s API after %.2f s; idle RSS %d MiB after 10 s (aim: <= 300 MiB)%n", what, s, BerthJar.rssMib(p.pid()));
      return s;
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}

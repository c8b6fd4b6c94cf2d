package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the manager adds to the docker CLI on a real engine: {@code docker run -d} and
 * {@code docker ps}, N times each, directly against the engine and through {@code berth dev}'s
 * Docker endpoint, alternating, in one run, berth dev stopped while the engine runs alone. Reports medians and their ratio.
 */
final class DockerOverheadBench {
  /** Runs a side ({@code BERTH_BENCH_DOCKER_RUNS}): the engine's start varies by ±40 ms here, and 30 a side moved the ratio by ±0.03 from run to run. */
  static final int N = Integer.parseInt(System.getenv().getOrDefault("BERTH_BENCH_DOCKER_RUNS", "100"));
  static final int WARM = 5;

  private DockerOverheadBench() {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    Path data = Files.createTempDirectory("berth-bench-docker");
    int docker = BerthJar.freePort();
    // The manager's debug timings on (its logger configuration through the JVM's own variable): printed as a breakdown.
    Files.writeString(data.resolve("logback.xml"), BerthJar.logback("io.berth.manager.docker.DockerEndpoint", "io.berth.manager.fleet.NodeLink"));
    // Through the launcher, as a user runs it: its JVM options for dev (C1 alone, the serial collector, its start-up cache).
    Process dev = BerthJar.launch(data.resolve("dev.log"), "-Dlogback.configurationFile=" + data.resolve("logback.xml"), "dev", "--data", data.toString(), "--engine", engine,
        "--api-addr", "127.0.0.1:" + BerthJar.freePort(), "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(),
        "--agent-addr", "127.0.0.1:" + BerthJar.freePort(), "--docker-addr", "127.0.0.1:" + docker, "--name", "benchnode");
    String berth = "tcp://127.0.0.1:" + docker;
    try {
      BerthJar.await(dev, data.resolve("dev.log"), "berth dev is ready", Duration.ofSeconds(60));
      List<RunSplit> runDirect = new ArrayList<>();
      List<RunSplit> runBerth = new ArrayList<>();
      List<Double> psDirect = new ArrayList<>();
      List<Double> psBerth = new ArrayList<>();
      double[] cpu = new double[3]; // CPU seconds over the timed runs: the machine's in direct runs, in runs through berth, berth dev's own in those
      // Both paths warmed as a long-running manager is: the engine's own caches, the manager's compiled code.
      for (int i = 0; i < WARM; i++) {
        RunSplit.run(engine, engine);
        RunSplit.run(berth, engine);
        time(engine, "ps");
        time(berth, "ps");
      }
      for (int i = 0; i < N; i++) {
        // The engine alone is alone: berth dev, which follows the engine's events and would read each new container of the
        // direct run in that run's own window, is stopped (SIGSTOP) meanwhile, and given 300 ms after SIGCONT to catch up.
        signal(dev, "STOP");
        double busy0 = CpuTimes.machine()[0];
        runDirect.add(RunSplit.run(engine, engine));
        double busy1 = CpuTimes.machine()[0];
        psDirect.add(time(engine, "ps"));
        signal(dev, "CONT");
        Thread.sleep(300);
        double busy2 = CpuTimes.machine()[0];
        double devCpu = CpuTimes.process(dev.pid());
        runBerth.add(RunSplit.run(berth, engine));
        cpu[0] += busy1 - busy0;
        cpu[1] += CpuTimes.machine()[0] - busy2;
        cpu[2] += CpuTimes.process(dev.pid()) - devCpu;
        psBerth.add(time(berth, "ps"));
      }
      System.out.println("== docker CLI on one real engine: direct vs through berth dev's Docker endpoint (" + N + " each, medians)");
      row("docker run -d", RunSplit.totals(runDirect), RunSplit.totals(runBerth));
      RunSplit.print(runDirect, runBerth);
      System.out.printf("  CPU a run -d, the machine's (every process, both cores): engine alone %.0f ms, through berth %.0f ms; "
          + "of which berth dev (manager and agent, its background included) %.0f ms%n", cpu[0] * 1000 / N, cpu[1] * 1000 / N, cpu[2] * 1000 / N);
      row("docker ps (" + (N * 2) + " containers)", psDirect, psBerth);
      // A relayed wait's timing is logged when it ends (when its CLI exits); a second is room for the last.
      removeContainers(engine);
      Thread.sleep(1000);
      System.out.println("docker run -d through berth, per request (medians; from the manager's debug timings):");
      DockerTimings.breakdown(data.resolve("dev.log")).forEach(System.out::println);
    } finally {
      signal(dev, "CONT"); // a stopped process would not end
      removeContainers(engine);
      dev.destroy();
      dev.waitFor();
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    if (new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  private static void removeContainers(String engine) throws Exception {
    Process rm = new ProcessBuilder("sh", "-c", "docker -H " + engine + " rm -f $(docker -H " + engine
        + " ps -aq --filter label=berth-bench=1) 2>/dev/null").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    rm.waitFor();
  }

  private static double time(String host, String... args) throws Exception {
    return BerthJar.timeDocker(host, args);
  }

  private static void row(String what, List<Double> direct, List<Double> berth) {
    double d = median(direct);
    double b = median(berth);
    System.out.printf("%-26s engine %7.0f ms   berth %7.0f ms   ratio %.2fx%n", what, d, b, b / d);
  }

  private static double median(List<Double> xs) {
    return DockerTimings.median(xs);
  }
}

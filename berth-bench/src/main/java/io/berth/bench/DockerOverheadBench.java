package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the manager adds to the docker CLI on a real engine: {@code docker run -d} and
 * {@code docker ps}, N times each, directly against the engine and through {@code berth dev}'s
 * Docker endpoint, alternating, in one run. Reports medians and their ratio.
 */
final class DockerOverheadBench {
  static final int N = 30;
  static final int WARM = 5;

  private DockerOverheadBench() {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    Path data = Files.createTempDirectory("berth-bench-docker");
    int docker = BerthJar.freePort();
    // The manager's debug timings on (its logger configuration through the JVM's own variable): printed as a breakdown.
    Files.writeString(data.resolve("logback.xml"), BerthJar.logback("io.berth.manager.docker.DockerEndpoint", "io.berth.manager.fleet.NodeLink"));
    List<String> jvm = List.of("-Dlogback.configurationFile=" + data.resolve("logback.xml"));
    Process dev = BerthJar.start(data.resolve("dev.log"), jvm, "dev", "--data", data.toString(), "--engine", engine,
        "--api-addr", "127.0.0.1:" + BerthJar.freePort(), "--cluster-addr", "127.0.0.1:" + BerthJar.freePort(),
        "--agent-addr", "127.0.0.1:" + BerthJar.freePort(), "--docker-addr", "127.0.0.1:" + docker, "--name", "benchnode");
    String berth = "tcp://127.0.0.1:" + docker;
    try {
      BerthJar.await(dev, data.resolve("dev.log"), "berth dev is ready", Duration.ofSeconds(60));
      List<RunSplit> runDirect = new ArrayList<>();
      List<RunSplit> runBerth = new ArrayList<>();
      List<Double> psDirect = new ArrayList<>();
      List<Double> psBerth = new ArrayList<>();
      // Both paths warmed as a long-running manager is: the engine's own caches, the manager's compiled code.
      for (int i = 0; i < WARM; i++) {
        RunSplit.run(engine, engine);
        RunSplit.run(berth, engine);
        time(engine, "ps");
        time(berth, "ps");
      }
      for (int i = 0; i < N; i++) {
        runDirect.add(RunSplit.run(engine, engine));
        runBerth.add(RunSplit.run(berth, engine));
        psDirect.add(time(engine, "ps"));
        psBerth.add(time(berth, "ps"));
      }
      System.out.println("== docker CLI on one real engine: direct vs through berth dev's Docker endpoint (" + N + " each, medians)");
      row("docker run -d", RunSplit.totals(runDirect), RunSplit.totals(runBerth));
      System.out.println("  in order: " + java.util.stream.IntStream.range(0, N).mapToObj(i -> String.format("%.0f/%.0f", runDirect.get(i).total(), runBerth.get(i).total())).toList());
      RunSplit.print(runDirect, runBerth);
      row("docker ps (" + (N * 2) + " containers)", psDirect, psBerth);
      // A relayed wait is timed when it ends: once its container is gone.
      removeContainers(engine);
      Thread.sleep(1000);
      System.out.println("docker run -d through berth, per request (medians; from the manager's debug timings):");
      DockerTimings.breakdown(data.resolve("dev.log")).forEach(System.out::println);
    } finally {
      removeContainers(engine);
      dev.destroy();
      dev.waitFor();
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

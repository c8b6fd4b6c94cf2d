package io.berth.bench;

import io.berth.store.EtcdProcess;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Berth's benchmarks: {@code scripts/bench [store|scheduler|node-loss|dev|cli|docker|sim|converge|lrp|app|identity|metrics|console|ha|build|autoscale|all]}. Each prints what it measured
 * beside a baseline taken in the same run, as ratios. Never run as tests; never asserted on.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<String> which = args.length == 0 || args[0].equals("all") ? List.of("store", "scheduler", "node-loss", "dev", "docker") : List.of(args);
    for (String b : which) {
      switch (b) {
        case "store" -> store();
        case "scheduler" -> SchedulerBench.run();
        case "docker" -> DockerOverheadBench.run();
        case "node-loss" -> NodeLossBench.run();
        case "dev" -> DevBench.run();
        case "cli" -> CliBench.run();
        case "sim" -> SimBench.run();
        case "converge" -> ConvergenceBench.run();
        case "lrp" -> LrpBench.run();
        case "app" -> AppBench.run();
        case "identity" -> IdentityBench.run();
        case "metrics" -> MetricsBench.run();
        case "console" -> ConsoleBench.run();
        case "ha" -> HaBench.run();
        case "build" -> BuildBench.run();
        case "autoscale" -> AutoscaleBench.run();
        default -> {
          System.err.println("bench: unknown benchmark '" + b + "': use store, scheduler, node-loss, dev, cli, docker, sim, converge, lrp, app, identity, metrics, console, ha, build, autoscale or all");
          System.exit(2);
        }
      }
    }
  }

  /** The SQLite store against real etcd, same operations, same machine, same run. */
  static void store() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-store");
    StoreBenchmark.Result sqlite;
    StoreBenchmark.Result etcdResult;
    try (StateStore s = StateStores.open("sqlite://" + dir.resolve("bench.db"))) {
      new StoreBenchmark().run(s, 2_000); // warm up
      sqlite = new StoreBenchmark().run(s, 20_000);
    }
    try (EtcdProcess etcd = EtcdProcess.start(); StateStore s = StateStores.open(etcd.url())) {
      new StoreBenchmark().run(s, 500);
      etcdResult = new StoreBenchmark().run(s, 5_000);
    }
    System.out.println("== store: SQLite (WAL, synchronous=NORMAL) vs etcd 3.4 (one member, local disk)");
    System.out.printf("%-26s %12s %12s %10s%n", "", "sqlite", "etcd", "ratio");
    row("puts/s", sqlite.putsPerSecond(), etcdResult.putsPerSecond());
    row("compare-and-puts/s", sqlite.compareAndPutsPerSecond(), etcdResult.compareAndPutsPerSecond());
    row("watch delivery median us", sqlite.watchMedianMicros(), etcdResult.watchMedianMicros());
    row("watch delivery p99 us", sqlite.watchP99Micros(), etcdResult.watchP99Micros());
  }

  private static void row(String what, double a, double b) {
    System.out.printf("%-26s %12.0f %12.0f %9.2fx%n", what, a, b, a / b);
  }
}

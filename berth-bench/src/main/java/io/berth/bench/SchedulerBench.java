package io.berth.bench;

import io.berth.core.id.NodeName;
import io.berth.core.scheduler.ClusterSnapshot;
import io.berth.core.scheduler.Expr;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The scheduler alone on hollow snapshots: one placement with a constraint, an affinity and a host
 * port, spread, over N nodes of 10 containers each, on a snapshot built once. The baseline is the
 * same placement with only the health filter: the floor of walking the nodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedulerBench {
  @Param({"100", "1000", "10000"})
  int nodes;

  ClusterSnapshot snapshot;
  PlacementRequest request;
  Scheduler all;
  Scheduler healthOnly;

  @Setup
  public void setup() {
    Random r = new Random(42);
    List<NodeView> views = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      List<NodeView.ContainerView> cs = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        cs.add(new NodeView.ContainerView("c" + i + "-" + c, "app" + (i * 10 + c), "img" + r.nextInt(20),
            Map.of("tier", c % 2 == 0 ? "front" : "back"), List.of(new PlacementRequest.HostPort("", 8000 + c, "tcp")),
            true, 64L << 20, 0.1));
      }
      views.add(new NodeView(NodeName.of("node" + i), "id" + i, true, Map.of("zone", "z" + (i % 3), "disk", i % 2 == 0 ? "ssd" : "hdd"),
          8, 32L << 30, cs, Set.of("berth/busybox:1", "img" + r.nextInt(20))));
    }
    snapshot = ClusterSnapshot.of(views); // built once per view change, as the manager does
    request = new PlacementRequest("web", "berth/busybox:1", true, 128L << 20, 0.25,
        List.of(Expr.parse("constraint", "disk==ssd"), Expr.parse("constraint", "zone!=z2")),
        List.of(Expr.parse("affinity", "tier==front")), List.of(new PlacementRequest.HostPort("", 80, "tcp")), List.of());
    all = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
    healthOnly = new Scheduler(List.of("health"), Strategy.SPREAD, new Random(1));
  }

  @Benchmark
  public Object allFiltersSpread() {
    return all.plan(List.of(request), snapshot);
  }

  @Benchmark
  public Object healthOnlySpread() {
    return healthOnly.plan(List.of(request), snapshot);
  }

  /** Runs the benchmark with a short configuration and prints placements/s per snapshot size. */
  static void run() throws Exception {
    Options opt = new OptionsBuilder().include(SchedulerBench.class.getSimpleName()).forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(2))
        .jvmArgsAppend("-Xmx1g").build();
    System.out.println("== scheduler: placements/s, one request (2 constraints, 1 affinity, 1 host port, memory+CPU), spread");
    System.out.printf("%-8s %16s %22s %8s%n", "nodes", "all filters", "baseline (health only)", "ratio");
    Map<String, Double> byKey = new TreeMap<>();
    for (RunResult rr : new Runner(opt).run()) {
      String key = rr.getParams().getParam("nodes") + "/" + rr.getParams().getBenchmark().replaceAll(".*\\.", "");
      byKey.put(key, rr.getPrimaryResult().getScore());
    }
    for (String n : List.of("100", "1000", "10000")) {
      double a = byKey.getOrDefault(n + "/allFiltersSpread", 0.0);
      double b = byKey.getOrDefault(n + "/healthOnlySpread", 0.0);
      System.out.printf("%-8s %16.0f %22.0f %7.2fx%n", n, a, b, b == 0 ? 0 : a / b);
    }
  }
}

package io.berth.bench;

import java.io.IOException;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One {@code docker run -d}, split by the engine's own events of its container: from the command to the engine's
 * {@code create} event (the CLI's start, the create's way in, the engine's create), from {@code create} to
 * {@code start} (the create's answer back, the CLI's {@code wait} and {@code start} on their way in, the engine's
 * start) and from {@code start} to the command's exit (the start's answer back, the CLI's exit). Every time is
 * read on the one clock of this machine, so the splits of a run straight to the engine and of one through Berth
 * compare part for part: what Berth adds shows in the part it adds it to.
 */
record RunSplit(double total, double toCreate, double createToStart, double startToExit) {
  static final String[] RUN = {"run", "-d", "--network", "none", "--label", "berth-bench=1", "berth/busybox:1", "sleep", "120"};

  /** Runs {@link #RUN} through {@code host} and reads its container's events from {@code engine}. */
  static RunSplit run(String host, String engine) throws IOException, InterruptedException {
    long t0 = LrpBench.epochNanos();
    String id = LrpBench.docker(host, RUN).strip();
    long t1 = LrpBench.epochNanos();
    if (!id.matches("[0-9a-f]{64}")) throw new IllegalStateException("docker run -d through " + host + " printed: " + id);
    long create = -1;
    long start = -1;
    String since = String.format("%d.%09d", t0 / 1_000_000_000L, t0 % 1_000_000_000L);
    for (String line : LrpBench.docker(engine, "events", "--since", since, "--until", Long.toString(t1 / 1_000_000_000L + 1),
        "--filter", "container=" + id, "--format", "{{.Action}} {{.TimeNano}}").lines().toList()) {
      String[] f = line.strip().split(" ");
      if (f.length != 2 || !f[1].matches("\\d+")) continue;
      if (f[0].equals("create") && create < 0) create = Long.parseLong(f[1]);
      if (f[0].equals("start") && start < 0) start = Long.parseLong(f[1]);
    }
    double nan = Double.NaN;
    return new RunSplit((t1 - t0) / 1e6, create < 0 ? nan : (create - t0) / 1e6, create < 0 || start < 0 ? nan : (start - create) / 1e6,
        start < 0 ? nan : (t1 - start) / 1e6);
  }

  static List<Double> totals(List<RunSplit> runs) {
    return runs.stream().map(RunSplit::total).toList();
  }

  static void print(List<RunSplit> direct, List<RunSplit> berth) {
    System.out.println("docker run -d split by the engine's own create and start events (medians, ms):");
    System.out.printf("  %-34s %9s %9s %9s%n", "", "engine", "berth", "added");
    part("command -> create event", direct, berth, RunSplit::toCreate);
    part("create -> start event", direct, berth, RunSplit::createToStart);
    part("start event -> command exits", direct, berth, RunSplit::startToExit);
  }

  private static void part(String what, List<RunSplit> direct, List<RunSplit> berth, ToDoubleFunction<RunSplit> f) {
    double d = DockerTimings.median(direct.stream().map(f::applyAsDouble).filter(x -> !Double.isNaN(x)).toList());
    double b = DockerTimings.median(berth.stream().map(f::applyAsDouble).filter(x -> !Double.isNaN(x)).toList());
    System.out.printf("  %-34s %9.1f %9.1f %+9.1f%n", what, d, b, b - d);
  }
}

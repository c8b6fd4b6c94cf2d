package io.berth.bench;

import static io.berth.bench.LrpBench.docker;
import static io.berth.bench.LrpBench.epochNanos;
import static io.berth.bench.LrpBench.median;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The crashes of {@code scripts/bench lrp}: the containers of the first instances of a running LRP killed one at a
 * time ({@code docker kill}), each timed until its slot is RUNNING again; then the engine alone, a container of its own
 * killed and started again at once, as the baseline.
 *
 * <p>Each sample is four times in seconds: from the {@code docker kill} command to RUNNING again, and split by the
 * engine's own events of the container: the command until its {@code die} (the CLI's start and the engine's kill),
 * {@code die} until the next {@code start} (Berth seeing the crash, deciding, and the engine starting it), and that
 * {@code start} until the slot shows RUNNING (the setup, the first passing health check, the report). A split is NaN
 * where an event is missing (a new container rather than a start in place).
 *
 * @param samples Berth's crashes, one row each
 * @param engine the engine's own kill and start, the same columns, "RUNNING" being the {@code start} event
 */
record CrashRun(double[][] samples, double[][] engine) {
  /** Kills the containers of instances 0 to {@code count - 1} of the LRP {@code guid}, one at a time, then measures the engine alone on {@code engines.get(0)}. */
  static CrashRun measure(int api, Path mdata, String guid, int count, List<LocalEngine> engines) throws IOException, InterruptedException {
    double[][] samples = new double[count][];
    for (int i = 0; i < count; i++) {
      JsonNode victim = Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid + "/index/" + i));
      String instance = victim.path("instance_guid").asText();
      int crashesBefore = victim.path("crash_count").asInt();
      LocalEngine e = engines.stream().filter(x -> x.name().equals(victim.path("cell_id").asText())).findFirst().orElseThrow();
      String id = docker("unix://" + e.socket(), "ps", "-q", "--filter", "label=io.berth.instance-guid=" + instance).strip();
      long kEpoch = epochNanos();
      long k0 = System.nanoTime();
      docker("unix://" + e.socket(), "kill", id);
      while (true) {
        JsonNode a = Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid + "/index/" + i));
        // RUNNING again: in place (same guid, one more crash counted) or as a new instance
        boolean again = a.path("crash_count").asInt() > crashesBefore || !a.path("instance_guid").asText().equals(instance);
        if (a.path("state").asText().equals("RUNNING") && again) break;
        Thread.sleep(10);
      }
      long running = System.nanoTime();
      samples[i] = sample(e, id, kEpoch, (running - k0) / 1e9, kEpoch + (running - k0));
    }
    return new CrashRun(samples, engineRestarts(engines.get(0), count));
  }

  /** One crash's four times, {@code total} being the first; the others from the engine's events of container {@code id}. */
  private static double[] sample(LocalEngine e, String id, long killEpochNanos, double total, long runningEpochNanos)
      throws IOException, InterruptedException {
    String since = String.format("%d.%09d", killEpochNanos / 1_000_000_000L, killEpochNanos % 1_000_000_000L);
    String until = Long.toString(runningEpochNanos / 1_000_000_000L + 1);
    long die = -1;
    long start = -1;
    for (String line : docker("unix://" + e.socket(), "events", "--since", since, "--until", until, "--filter", "container=" + id,
        "--format", "{{.Action}} {{.TimeNano}}").lines().toList()) {
      String[] f = line.strip().split(" ");
      if (f.length != 2 || !f[1].matches("\\d+")) continue;
      if (f[0].equals("die") && die < 0) die = Long.parseLong(f[1]);
      if (f[0].equals("start") && die >= 0 && start < 0) start = Long.parseLong(f[1]);
    }
    double nan = Double.NaN;
    return new double[] {total, die < 0 ? nan : (die - killEpochNanos) / 1e9, die < 0 || start < 0 ? nan : (start - die) / 1e9,
        start < 0 ? nan : (runningEpochNanos - start) / 1e9};
  }

  /**
   * The engine alone: a container of its own killed and started again at once by the CLI ({@code docker kill}, then
   * {@code docker start}, which waits for the engine's cleanup of the dead container).
   */
  private static double[][] engineRestarts(LocalEngine e, int count) throws IOException, InterruptedException {
    String host = "unix://" + e.socket();
    String id = docker(host, "run", "-d", "berth/busybox:1", "sleep", "600").strip();
    try {
      double[][] samples = new double[count][];
      for (int i = 0; i < count; i++) {
        long kEpoch = epochNanos();
        docker(host, "kill", id);
        docker(host, "start", id);
        double[] x = sample(e, id, kEpoch, Double.NaN, epochNanos());
        samples[i] = new double[] {x[1] + x[2], x[1], x[2], 0};
      }
      return samples;
    } finally {
      docker(host, "rm", "-f", id);
    }
  }

  /** Its rows of the bench's report. */
  void print() {
    double[] total = column(samples, 0);
    double dieToRunning = median(Arrays.stream(samples).mapToDouble(x -> x[2] + x[3]).toArray());
    System.out.printf("crash (docker kill) -> slot RUNNING again, %d samples: median %.2f s, max %.2f s%n", samples.length, median(total),
        Arrays.stream(total).max().orElse(0));
    System.out.printf("  of which, medians: kill command -> engine's die %.3f s; die -> start in place %.3f s; start -> RUNNING %.3f s; "
        + "die -> RUNNING %.3f s%n", median(column(samples, 1)), median(column(samples, 2)), median(column(samples, 3)), dieToRunning);
    System.out.printf("  the engine alone (docker kill, then docker start at once), medians: kill command -> start %.3f s; "
        + "kill command -> die %.3f s; die -> start %.3f s; Berth's die -> RUNNING / the engine's die -> start: %.2fx%n",
        median(column(engine, 0)), median(column(engine, 1)), median(column(engine, 2)), dieToRunning / median(column(engine, 2)));
  }

  private static double[] column(double[][] rows, int i) {
    return Arrays.stream(rows).mapToDouble(r -> r[i]).toArray();
  }
}

package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of an LRP's start goes, read from the agents' own log lines: when each
 * instance's create step began on its node ({@code instance-claimed}), and what that step spent
 * on the image, the instance's files, the engine's create and its start ({@code instance-started
 * … image_ms= prepare_ms= create_ms= start_ms=}).
 */
final class LrpBreakdown {
  private static final Pattern CLAIMED = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO +Executor instance-claimed instance=(\\S+)");
  private static final Pattern STARTED = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO +InstanceSteps instance-started instance=\\S+ "
      + "container=\\S+ ms=(\\d+) image_ms=(\\d+) prepare_ms=(\\d+) create_ms=(\\d+) start_ms=(\\d+)");

  /** One node's create steps: from the first one's beginning to the last container started, in ms after {@code t0}. */
  record Node(String name, int instances, long firstStepMs, long lastStartedMs, double[] stepMs, double[] imageMs, double[] filesMs,
      double[] createMs, double[] startMs) {}

  private LrpBreakdown() {}

  static Node node(String name, Path agentLog, LocalTime t0) throws IOException {
    long first = Long.MAX_VALUE;
    long last = 0;
    List<long[]> parts = new ArrayList<>();
    for (String line : Files.readAllLines(agentLog)) {
      Matcher c = CLAIMED.matcher(line);
      if (c.find() && after(t0, c.group(1)) >= 0) first = Math.min(first, after(t0, c.group(1)));
      Matcher s = STARTED.matcher(line);
      if (s.find() && after(t0, s.group(1)) >= 0) { // an earlier LRP's lines are not this one's
        last = Math.max(last, after(t0, s.group(1)));
        long[] p = new long[5];
        for (int k = 0; k < 5; k++) p[k] = Long.parseLong(s.group(k + 2));
        parts.add(p);
      }
    }
    return new Node(name, parts.size(), first == Long.MAX_VALUE ? -1 : first, last, column(parts, 0), column(parts, 1), column(parts, 2),
        column(parts, 3), column(parts, 4));
  }

  /** Prints the breakdown: the way to the nodes, each node's create steps and their parts, the way back to the store. */
  static void print(List<Node> nodes, double allRunningS, int concurrency, Map<String, double[]> direct) {
    System.out.printf("-- where Berth's time goes (the agents' logs; 0 = the POST of the DesiredLRP)%n");
    long firstStep = nodes.stream().mapToLong(Node::firstStepMs).filter(v -> v >= 0).min().orElse(-1);
    long lastStarted = nodes.stream().mapToLong(Node::lastStartedMs).max().orElse(0);
    System.out.printf("%-44s %8.2f s   (the converger's pass, the placement, the assignment long poll)%n", "first create step begins on a node",
        firstStep / 1e3);
    System.out.printf("%-8s %5s %9s %9s %10s %9s %9s %9s %9s%n", "node", "inst", "first s", "last s", "step ms", "image", "files",
        "create", "start");
    for (Node n : nodes) {
      System.out.printf("%-8s %5d %9.2f %9.2f %10.0f %9.0f %9.0f %9.0f %9.0f%n", n.name(), n.instances(), n.firstStepMs() / 1e3,
          n.lastStartedMs() / 1e3, LrpBench.median(n.stepMs()), LrpBench.median(n.imageMs()), LrpBench.median(n.filesMs()),
          LrpBench.median(n.createMs()), LrpBench.median(n.startMs()));
    }
    System.out.printf("(per instance medians in ms; each node runs %d create steps at a time)%n", concurrency);
    System.out.printf("%-44s %8.2f s%n", "last container started -> all RUNNING in the store", allRunningS - lastStarted / 1e3);
    System.out.printf("engines directly, all at once: per container, create median %.0f ms, start median %.0f ms (queued in the engine); "
        + "CPU core-seconds: machine busy %.1f, idle %.1f%n", LrpBench.median(direct.get("create")), LrpBench.median(direct.get("start")),
        direct.get("machine")[0], direct.get("machine")[1]);
  }

  static long after(LocalTime t0, String time) {
    long ms = Duration.between(t0, LocalTime.parse(time)).toMillis();
    return ms < -43_200_000 ? ms + 86_400_000 : ms; // past midnight
  }

  private static double[] column(List<long[]> rows, int k) {
    return rows.isEmpty() ? new double[] {0} : rows.stream().mapToDouble(r -> r[k]).toArray();
  }
}

package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code docker run -d} through one manager alone and through the leader and a follower of three, for
 * {@code scripts/bench ha}; with the manager's own split of each create, read from its
 * {@code docker-create-timing} lines (the managers log them at debug, see {@link BerthJar#logback}).
 */
final class HaRunTimes {
  /** The create's split, then the plan step's entry (its {@code lock}): the store lock's take, the journal read, the reads of other managers' containers. */
  static final List<String> FIELDS = List.of("lock", "view", "name", "plan", "create", "after", "take", "journal", "learn", "learned");

  /** One side's times: the CLI's wall time per run, and the manager's split of each create in µs. */
  record Side(String label, List<Double> ms, Map<String, List<Long>> split) {
    Side(String label) {
      this(label, new ArrayList<>(), new LinkedHashMap<>());
    }

    double median() {
      return LrpBench.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** "lock 2.9, view 0.2, …" in ms, medians; "learned 0.40": containers read in the plan step, per create (mean). */
    String splitLine() {
      return FIELDS.stream().filter(split::containsKey)
          .map(f -> f.equals("learned")
              ? String.format("%s %.2f", f, split.get(f).stream().mapToLong(Long::longValue).average().orElse(0))
              : String.format("%s %.1f", f, LrpBench.median(split.get(f).stream().mapToDouble(l -> l / 1e3).toArray())))
          .collect(Collectors.joining(", "));
    }
  }

  private HaRunTimes() {}

  /**
   * Through manager 0 alone, and with all three running through manager 0 (the leader, the same JVM)
   * and manager 1 (a follower), in turns of {@code each}, so that the machine's drift falls on every
   * side alike. All three are long-lived and warm: for a turn of the one, managers 1 and 2 are
   * SIGSTOPped (no CPU, no store traffic; agents on them move to manager 0 within 2 s) and SIGCONTed
   * after it, then left to settle before the turn of the three. Restarting them for each turn instead
   * measured JVMs seconds old: their JIT took the two cores from the leader's creates too. In the turn of
   * the three, leader and follower take one create each in alternation: in turns of four, the follower's
   * kept-alive connections to the nodes had idled past their 20 s while the leader's had not.
   * Returns the three sides: one, leader, follower.
   */
  static List<Side> measure(HaBench.Managers m, int rounds, int each) throws Exception {
    Side one = new Side("1 manager (the others SIGSTOPped)");
    Side leader = new Side("3 managers, through the leader");
    Side follower = new Side("3 managers, through a follower");
    runs(m, 0, 4 * each, null); // warm-up, not measured
    for (int i = 0; i < 4; i++) runs(m, 1, 10, null);
    for (int r = 0; r < rounds; r++) {
      for (int i = 1; i <= 2; i++) HaBench.signal("STOP", m.processes().get(i).pid());
      Thread.sleep(2000);
      runs(m, 0, each, one);
      for (int i = 1; i <= 2; i++) HaBench.signal("CONT", m.processes().get(i).pid());
      Thread.sleep(HaBench.TTL.toMillis() + 1000); // their leases renewed or claimed again, their caches in step
      for (int i = 0; i < each; i++) { // one by one, as a front spreads clients: each manager's connections to the nodes as fresh
        runs(m, 0, 1, leader);
        runs(m, 1, 1, follower);
      }
    }
    return List.of(one, leader, follower);
  }

  /** {@code n} runs through one manager, added to {@code into} with that manager's split (null: not measured); then removed. */
  static void runs(HaBench.Managers m, int manager, int n, Side into) throws Exception {
    String host = "tcp://127.0.0.1:" + m.docker().get(manager);
    Path log = m.logs().get(manager);
    long before = lines(log);
    for (int i = 0; i < n; i++) {
      double ms = BerthJar.timeDocker(host, "run", "-d", "-m", "8m", "berth/busybox:1", "sleep", "600");
      if (into != null) into.ms().add(ms);
    }
    if (into != null) {
      try (var lines = Files.lines(log)) {
        lines.skip(before).filter(l -> l.contains("docker-create-timing ") || l.contains("plan-lock-timing ")).forEach(l -> parse(l, into.split()));
      }
    }
    for (String id : LrpBench.docker(host, "ps", "-q").lines().filter(l -> !l.isBlank()).toList()) LrpBench.docker(host, "rm", "-f", id);
  }

  /** Adds a {@code docker-create-timing node=… lock=… view=…} or {@code plan-lock-timing take=…} line's fields (µs) to {@code into}. */
  static void parse(String line, Map<String, List<Long>> into) {
    int at = line.indexOf("docker-create-timing ");
    for (String word : line.substring(at >= 0 ? at : line.indexOf("plan-lock-timing ")).split(" ")) {
      int eq = word.indexOf('=');
      if (eq < 0 || !FIELDS.contains(word.substring(0, eq))) continue;
      try {
        into.computeIfAbsent(word.substring(0, eq), k -> new ArrayList<>()).add(Long.parseLong(word.substring(eq + 1)));
      } catch (NumberFormatException e) {
        // a line of another shape adds nothing
      }
    }
  }

  private static long lines(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.count();
    }
  }

  /** The sides as the bench prints them, each against the first (one manager). */
  static String report(List<Side> sides) {
    double base = sides.get(0).median();
    StringBuilder out = new StringBuilder();
    for (Side s : sides) {
      out.append(String.format("docker run -d, %s: median %.0f ms of %d (%.2fx%s); the manager's split of a create, medians in ms: %s%n",
          s.label(), s.median(), s.ms().size(), s.median() / base, s == sides.get(0) ? "" : "; aim <= 1.05x", s.splitLine()));
    }
    return out.toString();
  }
}

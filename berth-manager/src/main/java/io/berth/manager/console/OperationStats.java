package io.berth.manager.console;

import io.berth.manager.identity.AuditEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's "boss" numbers ({@code GET /v1/stats/operations}): how many deploys, scales,
 * rollbacks, pushes and so on happened each UTC day, counted from the audit log — the one record of
 * every mutating call, whichever edge it came through. A pure function of the entries and today.
 */
final class OperationStats {
  private static final Pattern SCALE = Pattern.compile("POST /v1/apps/[^/]+/scale");
  private static final Pattern ROLLBACK = Pattern.compile("POST /v1/apps/[^/]+/rollback");
  private static final Pattern PROMOTE = Pattern.compile("POST /v1/apps/[^/]+/promote");
  private static final Pattern ABORT = Pattern.compile("POST /v1/apps/[^/]+/abort");
  /** A code build's run: started by hand, or by a webhook's push (201; a 202 is a push the build ignored). */
  private static final Pattern BUILD_RUN = Pattern.compile("POST /v1/builds/.+/runs");
  private static final Pattern BUILD_HOOK = Pattern.compile("POST /v1/builds/.+/hook");
  /** The counters, in the order the answer lists them. */
  static final List<String> COUNTERS = List.of("deploys", "scales", "rollbacks", "promotes", "aborts", "pushes", "pulls", "builds",
      "sign_ins", "failures", "denied", "autoscales");

  private OperationStats() {}

  /** Each day a row: {@code date} and every one of {@link #COUNTERS}; and their totals. */
  record Answer(List<Map<String, Object>> days, Map<String, Integer> totals) {}

  /**
   * The counts of the {@code days} UTC days up to and including {@code today}'s, oldest first,
   * each day present even when nothing happened. A successful call counts under its operation
   * (a failed deploy is not a deploy); every call that failed counts under {@code failures}, one
   * refused for want of credentials or a role under {@code denied} instead.
   */
  static Answer count(List<AuditEntry> entries, LocalDate today, int days) {
    Map<LocalDate, Map<String, Integer>> byDay = new LinkedHashMap<>();
    LocalDate first = today.minusDays(days - 1L);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) byDay.put(d, zeros());
    Map<String, Integer> totals = zeros();
    for (AuditEntry e : entries) {
      Map<String, Integer> day = byDay.get(e.at().atZone(ZoneOffset.UTC).toLocalDate());
      if (day == null) continue;
      String counter = counter(e);
      if (counter == null) continue;
      day.merge(counter, 1, Integer::sum);
      totals.merge(counter, 1, Integer::sum);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    byDay.forEach((d, counts) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("date", d.toString());
      row.putAll(counts);
      out.add(row);
    });
    return new Answer(out, totals);
  }

  /** Which counter an entry adds to, or null for a call the numbers leave out (a member added, a token made). */
  static String counter(AuditEntry e) {
    String a = e.action() == null ? "" : e.action();
    if (e.status() >= 400) return "denied".equals(e.outcome()) ? "denied" : "failures";
    if (a.equals("POST /v1/apps")) return "deploys";
    if (SCALE.matcher(a).matches()) return "scales";
    if (ROLLBACK.matcher(a).matches()) return "rollbacks";
    if (PROMOTE.matcher(a).matches()) return "promotes";
    if (ABORT.matcher(a).matches()) return "aborts";
    if (a.equals("registry token") && e.target() != null && (e.target().contains(",push") || e.target().contains(":push")
        || e.target().contains(":*"))) {
      return "pushes";
    }
    if (a.equals("docker POST /images/create")) return "pulls";
    if (a.equals("docker POST /build") || BUILD_RUN.matcher(a).matches() || (BUILD_HOOK.matcher(a).matches() && e.status() == 201)) {
      return "builds";
    }
    if (a.equals("POST /v1/login")) return "sign_ins";
    if (a.equals("autoscale")) return "autoscales"; // the autoscaler's own scales (docs/autoscale.md)
    return null;
  }

  private static Map<String, Integer> zeros() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String c : COUNTERS) m.put(c, 0);
    return m;
  }

  /** The first instant the answer counts from. */
  static Instant since(LocalDate today, int days) {
    return today.minusDays(days - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}

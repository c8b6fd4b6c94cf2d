package io.berth.router;

import io.berth.cluster.wire.TrafficReport;
import io.berth.core.metrics.LatencyBuckets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current window of nginx's answers, per domain: requests, 5xx answers and latency buckets.
 * The access log's reader adds to it; the traffic reporter takes it every window and starts the
 * next. Every domain the live config serves is in each window, a quiet one with zeros.
 */
final class TrafficWindow {
  private Map<String, Counts> domains = new TreeMap<>(); // guarded by this
  private List<String> serving = List.of(); // guarded by this
  private long startedAt;

  TrafficWindow(long nowMillis) {
    this.startedAt = nowMillis;
  }

  /** One domain's counts. */
  private static final class Counts {
    long requests;
    long errors;
    final long[] buckets = new long[LatencyBuckets.COUNT];
  }

  /** One answer of nginx: the config's domain (its {@code $server_name}), the status and the request's time in milliseconds. */
  synchronized void add(String domain, int status, double millis) {
    Counts c = domains.computeIfAbsent(domain, d -> new Counts());
    c.requests++;
    if (status >= 500 && status <= 599) c.errors++;
    c.buckets[LatencyBuckets.bucketOf(millis)]++;
  }

  /** The domains the live config serves, listed in every window from now on. */
  synchronized void serving(Collection<String> names) {
    serving = List.copyOf(names);
  }

  /** Ends the window at {@code nowMillis}, as router {@code id} of {@code group} reports it, and starts the next. */
  synchronized TrafficReport take(String id, String group, long nowMillis) {
    Map<String, Counts> ended = domains;
    domains = new TreeMap<>();
    for (String d : serving) ended.computeIfAbsent(d, k -> new Counts());
    List<TrafficReport.Domain> out = new ArrayList<>(ended.size());
    for (Map.Entry<String, Counts> e : ended.entrySet()) {
      Counts c = e.getValue();
      List<Long> buckets = new ArrayList<>(LatencyBuckets.COUNT);
      for (long b : c.buckets) buckets.add(b);
      out.add(new TrafficReport.Domain(e.getKey(), c.requests, c.errors, buckets));
    }
    TrafficReport report = new TrafficReport(id, group, nowMillis, Math.max(1, nowMillis - startedAt), out);
    startedAt = nowMillis;
    return report;
  }
}

package io.berth.manager.metrics;

import io.berth.cluster.wire.TrafficReport;
import io.berth.core.error.BerthException;
import io.berth.core.metrics.LatencyBuckets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The routers' traffic numbers on this manager: each router's last window, mapped from domains to
 * apps, for {@link #latest} (the sum over routers of the last window each reported within
 * {@value #FRESH_MILLIS} ms, their latency buckets merged, so the p99 is of all their requests),
 * and a {@link TrafficRing} per app for the series. In memory; {@link TrafficShare} brings in the
 * windows of routers that report to other managers on the same store.
 */
public final class RouterTraffic implements TrafficNumbers {
  /** A router's window counts for this long after it ended. */
  public static final long FRESH_MILLIS = 30_000;
  /** The longest window a router may report (its windows are 5 s). */
  static final long MAX_WINDOW_MILLIS = 600_000;
  private final int slots;
  private final long retentionMillis;
  private final Map<String, Last> routers = new HashMap<>(); // guarded by this
  private final Map<String, TrafficRing> apps = new HashMap<>(); // guarded by this

  /** Keeps {@code retention} of history per app, at most {@link MetricsHistory#MAX_SLOTS} slots. */
  public RouterTraffic(Duration retention) {
    this.retentionMillis = retention.toMillis();
    this.slots = (int) Math.min(MetricsHistory.MAX_SLOTS, retentionMillis / TrafficRing.SLOT_MILLIS + 1);
  }

  /** One app's share of a router's window. */
  private static final class Counts {
    long requests;
    long errors;
    final long[] buckets = new long[LatencyBuckets.COUNT];
  }

  /** A router's last window: when it ended (as stamped, and no later than now), how long it was, and its numbers per app. */
  private record Last(long reportedAt, long at, long windowMillis, Map<String, Counts> apps) {}

  /**
   * Takes router {@code r}'s window at {@code nowMillis}, once: a window of a router no newer than
   * the last one taken, or older than {@value #FRESH_MILLIS} ms, is not (managers read each other's
   * from the store again and again). {@code appByDomain} is the router group's route table
   * (domain → app); domains no app serves (any more) are not counted. {@code r.at()} is the
   * manager's stamp of when the window arrived, not the router's clock.
   */
  public synchronized void accept(TrafficReport r, Map<String, String> appByDomain, long nowMillis) {
    String router = r.group() + "/" + r.id();
    Last prev = routers.get(router);
    if (prev != null && r.at() <= prev.reportedAt() || nowMillis - r.at() > FRESH_MILLIS) return;
    long at = Math.min(r.at(), nowMillis);
    Map<String, Counts> byApp = new TreeMap<>();
    for (TrafficReport.Domain d : r.domains()) {
      String app = appByDomain.get(d.domain());
      if (app == null) continue;
      Counts c = byApp.computeIfAbsent(app, k -> new Counts());
      c.requests += d.requests();
      c.errors += d.errors5xx();
      List<Long> b = d.latencyMsBuckets();
      for (int i = 0; i < Math.min(b.size(), LatencyBuckets.COUNT); i++) c.buckets[i] += b.get(i);
    }
    routers.put(router, new Last(r.at(), at, r.windowMillis(), byApp));
    for (Map.Entry<String, Counts> e : byApp.entrySet()) {
      Counts c = e.getValue();
      apps.computeIfAbsent(e.getKey(), k -> new TrafficRing(slots)).add(at, r.windowMillis(), c.requests, c.errors, c.buckets,
          nowMillis);
    }
    prune(nowMillis);
  }

  /** Refuses a report that is not one, naming the bad part; {@code pathId} is the route's {@code {id}}. */
  static void check(TrafficReport r, String pathId) {
    if (r.id() == null || !r.id().equals(pathId)) throw new BerthException.Invalid("id " + r.id() + " differs from the path's " + pathId);
    if (r.group() == null || r.group().isBlank()) throw new BerthException.Invalid("group: required");
    if (r.windowMillis() < 1 || r.windowMillis() > MAX_WINDOW_MILLIS) {
      throw new BerthException.Invalid("window_millis must be 1 to " + MAX_WINDOW_MILLIS + ", got " + r.windowMillis());
    }
    for (TrafficReport.Domain d : r.domains()) {
      if (d.domain() == null || d.domain().isBlank()) throw new BerthException.Invalid("domains: a domain without its name");
      if (d.requests() < 0 || d.errors5xx() < 0 || d.errors5xx() > d.requests()) {
        throw new BerthException.Invalid("domain " + d.domain() + ": requests and errors_5xx must be 0 or more, errors_5xx at most requests");
      }
      if (d.latencyMsBuckets().size() > LatencyBuckets.COUNT || d.latencyMsBuckets().stream().anyMatch(c -> c == null || c < 0)) {
        throw new BerthException.Invalid("domain " + d.domain() + ": latency_ms_buckets holds at most " + LatencyBuckets.COUNT
            + " counts of 0 or more");
      }
    }
  }

  /** Drops routers not heard from within the freshness, and apps without a window in the retention. */
  private void prune(long nowMillis) {
    routers.values().removeIf(l -> nowMillis - l.at() > FRESH_MILLIS);
    for (Iterator<TrafficRing> it = apps.values().iterator(); it.hasNext(); ) {
      long newest = it.next().newestMillis();
      if (newest == Long.MIN_VALUE || nowMillis - newest > retentionMillis) it.remove();
    }
  }

  @Override
  public synchronized Optional<Traffic> latest(String app, long nowMillis) {
    double rps = 0;
    long requests = 0;
    long errors = 0;
    long at = Long.MIN_VALUE;
    long[] buckets = new long[LatencyBuckets.COUNT];
    for (Last l : routers.values()) {
      Counts c = l.apps().get(app);
      if (c == null || nowMillis - l.at() > FRESH_MILLIS) continue;
      rps += c.requests * 1000.0 / Math.max(1, l.windowMillis()); // each router's own window: they need not line up
      requests += c.requests;
      errors += c.errors;
      LatencyBuckets.merge(buckets, c.buckets);
      at = Math.max(at, l.at());
    }
    if (at == Long.MIN_VALUE) return Optional.empty();
    double p99 = LatencyBuckets.quantile(buckets, 0.99);
    return Optional.of(new Traffic(rps, requests == 0 ? 0 : errors * 100.0 / requests, Double.isNaN(p99) ? 0 : p99, at));
  }

  /** The apps any router reported within the freshness, with their latest numbers, for the scrape. */
  public synchronized Map<String, Traffic> current(long nowMillis) {
    Map<String, Traffic> out = new TreeMap<>();
    for (Last l : routers.values()) {
      if (nowMillis - l.at() > FRESH_MILLIS) continue;
      for (String app : l.apps().keySet()) out.computeIfAbsent(app, a -> latest(a, nowMillis).orElseThrow());
    }
    return out;
  }

  /** The app's series aligned with {@code times}: {@code requests} (per s), {@code errors_5xx} (%), {@code latency_p99} (ms). */
  synchronized TrafficRing.Columns columns(String app, List<Long> times, long intervalMillis) {
    TrafficRing ring = apps.get(app);
    if (ring == null) ring = new TrafficRing(1);
    return ring.columns(times, intervalMillis);
  }
}

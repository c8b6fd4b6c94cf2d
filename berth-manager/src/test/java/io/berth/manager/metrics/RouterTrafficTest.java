package io.berth.manager.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.berth.cluster.wire.TrafficReport;
import io.berth.core.error.BerthException;
import io.berth.core.metrics.LatencyBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routers' windows summed per app on a fixed clock: latest numbers, the series, bad reports. */
class RouterTrafficTest {
  static final long T0 = 1_780_000_000_000L; // a multiple of 10 s
  static final Map<String, String> ROUTES = Map.of("hello.test", "hello", "www.hello.test", "hello", "shop.test", "shop");
  final RouterTraffic traffic = new RouterTraffic(Duration.ofHours(1));

  /** A domain's window: {@code requests} requests, {@code errors} of them 5xx, {@code fast} taking 2 ms and the rest {@code slowMs}. */
  static TrafficReport.Domain domain(String name, long requests, long errors, long fast, double slowMs) {
    List<Long> buckets = new ArrayList<>();
    for (int i = 0; i < LatencyBuckets.COUNT; i++) buckets.add(0L);
    buckets.set(LatencyBuckets.bucketOf(2), fast);
    buckets.set(LatencyBuckets.bucketOf(slowMs), buckets.get(LatencyBuckets.bucketOf(slowMs)) + requests - fast);
    return new TrafficReport.Domain(name, requests, errors, buckets);
  }

  static TrafficReport report(String id, long at, TrafficReport.Domain... domains) {
    return new TrafficReport(id, "default", at, 5_000, List.of(domains));
  }

  @Test
  void latestSumsTheRoutersLastWindowsAndMergesTheirLatencies() {
    traffic.accept(report("r1", T0, domain("hello.test", 500, 5, 500, 2)), ROUTES, T0);
    traffic.accept(report("r2", T0 + 1_000, domain("hello.test", 400, 0, 396, 400), domain("www.hello.test", 100, 5, 100, 2)), ROUTES,
        T0 + 1_000);

    TrafficNumbers.Traffic t = traffic.latest("hello", T0 + 2_000).orElseThrow();
    assertThat(t.requestsPerSecond()).isEqualTo(200.0); // (500 + 400 + 100) requests over 5 s windows
    assertThat(t.errors5xxPercent()).isEqualTo(1.0);
    // 4 slow requests of 1000: the p99 is still a fast one; the max of the routers' p99s would be r2's 400 ms
    assertThat(t.latencyP99Millis()).isLessThanOrEqualTo(2.0);
    assertThat(t.atMillis()).isEqualTo(T0 + 1_000);
  }

  @Test
  void aRouterSilentFor30sNoLongerCountsAndNoneMeansEmpty() {
    traffic.accept(report("r1", T0, domain("hello.test", 50, 0, 50, 2)), ROUTES, T0);
    traffic.accept(report("r2", T0 + 20_000, domain("hello.test", 10, 0, 10, 2)), ROUTES, T0 + 20_000);
    assertThat(traffic.latest("hello", T0 + 30_000).orElseThrow().requestsPerSecond()).isEqualTo(12.0);
    assertThat(traffic.latest("hello", T0 + 31_000).orElseThrow().requestsPerSecond()).isEqualTo(2.0);
    assertThat(traffic.latest("hello", T0 + 51_000)).isEmpty();
    assertThat(traffic.latest("nobody", T0)).isEmpty();
  }

  @Test
  void aQuietAppIsZeroNotEmptyAndDomainsWithoutAnAppAreNotCounted() {
    traffic.accept(report("r1", T0, domain("shop.test", 0, 0, 0, 2), domain("gone.test", 70, 70, 0, 9)), ROUTES, T0);
    assertThat(traffic.latest("shop", T0)).hasValue(new TrafficNumbers.Traffic(0, 0, 0, T0));
    assertThat(traffic.current(T0)).containsOnlyKeys("shop");
  }

  @Test
  void aWindowIsTakenOnceAndNotWhenOlderThan30s() {
    TrafficReport w = report("r1", T0, domain("hello.test", 50, 0, 50, 2));
    traffic.accept(w, ROUTES, T0);
    traffic.accept(w, ROUTES, T0 + 1_000); // read back from the store: the same window
    traffic.accept(report("r1", T0 - 5_000, domain("hello.test", 99, 0, 99, 2)), ROUTES, T0 + 1_000); // an older one, late
    assertThat(traffic.columns("hello", List.of(T0 - 5_000), 5_000).requests()).containsExactly(10.0);
    traffic.accept(report("r2", T0, domain("hello.test", 50, 0, 50, 2)), ROUTES, T0 + 31_000);
    assertThat(traffic.latest("hello", T0 + 31_000)).isEmpty();
  }

  @Test
  void theSeriesHasEachSlotsRateErrorShareAndWorstP99() {
    // two routers, two windows each in the slot [T0, T0+10s); nothing in the slot before
    for (long end : new long[] {T0 + 5_000, T0 + 10_000}) {
      traffic.accept(report("r1", end, domain("hello.test", 100, 2, 100, 2)), ROUTES, end);
      traffic.accept(report("r2", end, domain("hello.test", 100, 2, 90, 700)), ROUTES, end);
    }
    TrafficRing.Columns c = traffic.columns("hello", List.of(T0 - 10_000, T0), 10_000);
    assertThat(c.requests()).containsExactly(null, 40.0);
    assertThat(c.errors5xx()).containsExactly(null, 2.0);
    assertThat(c.latencyP99().get(0)).isNull();
    assertThat(c.latencyP99().get(1)).isCloseTo(700, within(200.0)); // 5 % of requests took 700 ms: the p99 is in their bucket

    // sealed once 30 s have passed: the p99 is kept, the buckets are not
    traffic.accept(report("r1", T0 + 60_000, domain("hello.test", 1, 0, 1, 2)), ROUTES, T0 + 60_000);
    TrafficRing.Columns later = traffic.columns("hello", List.of(T0), 10_000);
    assertThat(later.latencyP99()).isEqualTo(c.latencyP99().subList(1, 2));
    assertThat(later.requests()).containsExactly(40.0);
    assertThat(traffic.columns("shop", List.of(T0), 10_000).requests()).containsExactly((Double) null);
  }

  @Test
  void windowsThatDoNotLineUpWithTheSlotsAreSpreadOverThemAndTheNewestSlotIsARateOfWhatItSawSoFar() {
    // a drifting timer: windows of 5 s ending 2.5 s into slots; 60 requests in one of them, none in the others
    traffic.accept(report("r1", T0 + 2_500, domain("hello.test", 0, 0, 0, 2)), ROUTES, T0 + 2_500);
    traffic.accept(report("r1", T0 + 7_500, domain("hello.test", 60, 6, 60, 2)), ROUTES, T0 + 7_500);
    TrafficRing.Columns soFar = traffic.columns("hello", List.of(T0), 10_000);
    assertThat(soFar.requests()).containsExactly(8.0); // 60 requests in the 7.5 s the windows reached
    assertThat(soFar.errors5xx()).containsExactly(10.0);
    traffic.accept(report("r1", T0 + 12_500, domain("hello.test", 0, 0, 0, 2)), ROUTES, T0 + 12_500);
    TrafficRing.Columns c = traffic.columns("hello", List.of(T0 - 10_000, T0, T0 + 10_000), 10_000);
    assertThat(c.requests()).containsExactly(0.0, 6.0, 0.0); // each slot's rate times 10 s: the 60 requests, once
  }

  @Test
  void aReportThatIsNotOneIsRefusedNamingTheBadPart() {
    assertThatThrownBy(() -> RouterTraffic.check(report("r1", T0), "r2")).isInstanceOf(BerthException.Invalid.class)
        .hasMessage("id r1 differs from the path's r2");
    assertThatThrownBy(() -> RouterTraffic.check(new TrafficReport("r1", "", T0, 5_000, List.of()), "r1"))
        .hasMessage("group: required");
    assertThatThrownBy(() -> RouterTraffic.check(new TrafficReport("r1", "default", T0, 0, List.of()), "r1"))
        .hasMessage("window_millis must be 1 to 600000, got 0");
    assertThatThrownBy(() -> RouterTraffic.check(report("r1", T0, new TrafficReport.Domain("a.test", 1, 2, List.of())), "r1"))
        .hasMessage("domain a.test: requests and errors_5xx must be 0 or more, errors_5xx at most requests");
    List<Long> tooMany = new ArrayList<>();
    for (int i = 0; i <= LatencyBuckets.COUNT; i++) tooMany.add(0L);
    assertThatThrownBy(() -> RouterTraffic.check(report("r1", T0, new TrafficReport.Domain("a.test", 1, 0, tooMany)), "r1"))
        .hasMessage("domain a.test: latency_ms_buckets holds at most 29 counts of 0 or more");
  }
}

package io.berth.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.TrafficReport;
import io.berth.core.metrics.LatencyBuckets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {
  @Test
  void parsesNginxSyslogDatagramsInTheRoutersFormat() {
    assertThat(AccessLog.parse("<190>Dec  6 13:50:26 berth: app.test 200 0.005"))
        .isEqualTo(new AccessLog.Line("app.test", 200, 5.0));
    assertThat(AccessLog.parse("<190>Dec 16 03:00:01 berth: shop.example.com 502 1.250\n"))
        .isEqualTo(new AccessLog.Line("shop.example.com", 502, 1250.0));
  }

  @Test
  void refusesWhatIsNotOneOfItsLines() {
    for (String bad : List.of("", "app.test 200 0.005", "<190>Dec  6 13:50:26 other: app.test 200 0.005",
        "<190>Dec  6 13:50:26 berth: app.test", "<190>Dec  6 13:50:26 berth: app.test abc 0.005",
        "<190>Dec  6 13:50:26 berth: app.test 200 -", "<190>Dec  6 13:50:26 berth: app.test 42 0.1")) {
      assertThat(AccessLog.parse(bad)).as(bad).isNull();
    }
  }

  @Test
  void countsRequestsAnd5xxPerDomainAndListsQuietDomainsWithZeros() {
    TrafficWindow w = new TrafficWindow(1_000);
    w.serving(List.of("a.test", "quiet.test"));
    w.add("a.test", 200, 3);
    w.add("a.test", 503, 0.2);
    w.add("a.test", 404, 120);
    w.add("gone.test", 200, 1); // an old worker still finishing a request of a domain no longer served

    TrafficReport r = w.take("r1", "default", 6_000);
    assertThat(r.id()).isEqualTo("r1");
    assertThat(r.at()).isEqualTo(6_000);
    assertThat(r.windowMillis()).isEqualTo(5_000);
    assertThat(r.domains()).extracting(TrafficReport.Domain::domain).containsExactly("a.test", "gone.test", "quiet.test");
    TrafficReport.Domain a = r.domains().get(0);
    assertThat(a.requests()).isEqualTo(3);
    assertThat(a.errors5xx()).isEqualTo(1);
    assertThat(a.latencyMsBuckets()).hasSize(LatencyBuckets.COUNT);
    assertThat(a.latencyMsBuckets().get(LatencyBuckets.bucketOf(0.2))).isEqualTo(1L);
    assertThat(a.latencyMsBuckets().get(LatencyBuckets.bucketOf(3))).isEqualTo(1L);
    assertThat(a.latencyMsBuckets().get(LatencyBuckets.bucketOf(120))).isEqualTo(1L);
    assertThat(r.domains().get(2).requests()).isZero();
  }

  @Test
  void takingAWindowStartsAnEmptyOne() {
    TrafficWindow w = new TrafficWindow(0);
    w.serving(List.of("a.test"));
    w.add("a.test", 200, 1);
    w.take("r1", "default", 5_000);
    TrafficReport next = w.take("r1", "default", 10_000);
    assertThat(next.windowMillis()).isEqualTo(5_000);
    assertThat(next.domains()).singleElement().satisfies(d -> assertThat(d.requests()).isZero());
  }
}

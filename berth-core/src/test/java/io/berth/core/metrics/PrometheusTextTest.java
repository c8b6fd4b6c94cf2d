package io.berth.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void escapesLabelValuesAndHelpAsTheFormatSays() {
    MetricRegistry r = new MetricRegistry();
    r.counter("berth_x_total", "Help with a \\ and a\nnewline", "route").inc("a \"quoted\" \\ back\nslash");
    assertThat(r.scrape()).isEqualTo("""
        # HELP berth_x_total Help with a \\\\ and a\\nnewline
        # TYPE berth_x_total counter
        berth_x_total{route="a \\"quoted\\" \\\\ back\\nslash"} 1
        """);
  }

  @Test
  void histogramsAreCumulativeWithSumAndCount() {
    MetricRegistry r = new MetricRegistry();
    Histogram h = r.histogram("berth_h_seconds", "h", new double[] {0.1, 1}, "op");
    h.observe(0.05, "get");
    h.observe(0.5, "get");
    h.observe(5, "get");
    assertThat(r.scrape()).isEqualTo("""
        # HELP berth_h_seconds h
        # TYPE berth_h_seconds histogram
        berth_h_seconds_bucket{op="get",le="0.1"} 1
        berth_h_seconds_bucket{op="get",le="1"} 2
        berth_h_seconds_bucket{op="get",le="+Inf"} 3
        berth_h_seconds_sum{op="get"} 5.55
        berth_h_seconds_count{op="get"} 3
        """);
    assertThat(h.count("get")).isEqualTo(3);
  }

  @Test
  void numbersAreWrittenSoGoParsesThem() {
    StringBuilder s = new StringBuilder();
    new PrometheusText(s).sample("g", List.of(), List.of(), Double.NaN).sample("g", List.of(), List.of(), Double.POSITIVE_INFINITY)
        .sample("g", List.of(), List.of(), 1.5e-7).sample("g", List.of(), List.of(), 12345678901.0);
    assertThat(s.toString()).isEqualTo("g NaN\ng +Inf\ng 1.5E-7\ng 12345678901\n");
  }

  @Test
  void refusesBadNamesAndAFamilyOfAnotherType() {
    MetricRegistry r = new MetricRegistry();
    assertThatThrownBy(() -> r.counter("9bad", "x")).hasMessageContaining("not a Prometheus metric name");
    assertThatThrownBy(() -> r.gauge("ok", "x", "__reserved")).hasMessageContaining("not a Prometheus label name");
    Counter c = r.counter("berth_c_total", "c");
    assertThat(r.counter("berth_c_total", "c")).isSameAs(c);
    assertThatThrownBy(() -> r.gauge("berth_c_total", "c")).hasMessageContaining("already a counter");
    assertThatThrownBy(() -> c.inc("extra")).hasMessageContaining("has labels []");
  }

  @Test
  void collectorsWriteAfterTheFamilies() {
    MetricRegistry r = new MetricRegistry();
    r.gauge("berth_a", "a").set(2);
    r.collector(out -> out.family("berth_b", "gauge", "b").sample("berth_b", List.of("node"), List.of("n1"), 3));
    assertThat(r.scrape()).endsWith("berth_a 2\n# HELP berth_b b\n# TYPE berth_b gauge\nberth_b{node=\"n1\"} 3\n");
  }

  @Test
  void theCheckerAcceptsWhatTheWriterWritesAndRefusesBrokenText() {
    MetricRegistry r = new MetricRegistry();
    r.counter("berth_x_total", "x\\y", "a").inc("q\"\n\\");
    r.histogram("berth_h_seconds", "h", Histogram.LATENCY_SECONDS, "op").observe(0.3, "get");
    assertThat(PrometheusCheck.check(r.scrape())).isEqualTo(1 + Histogram.LATENCY_SECONDS.size() + 1 + 2);
    assertThatThrownBy(() -> PrometheusCheck.check("berth_y 1\n")).hasMessageContaining("without a TYPE");
    assertThatThrownBy(() -> PrometheusCheck.check("# TYPE a gauge\na{l=\"x\"y\"} 1\n")).hasMessageContaining("line 2");
    assertThatThrownBy(() -> PrometheusCheck.check("# TYPE a gauge\na 1\na 2\n")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> PrometheusCheck.check("# TYPE a gauge\na one\n")).hasMessageContaining("not a number");
  }
}

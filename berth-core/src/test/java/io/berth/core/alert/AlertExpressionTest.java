package io.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertExpressionTest {
  @Test
  void readsAMetricAComparisonAndAThresholdInItsBaseUnit() {
    AlertExpression x = AlertExpression.parse("cpu > 80%");
    assertThat(x.metric()).isEqualTo(AlertMetric.CPU);
    assertThat(x.comparison()).isEqualTo(Comparison.GREATER);
    assertThat(x.threshold()).isEqualTo(80);
    assertThat(x.holds(92)).isTrue();
    assertThat(x.holds(80)).isFalse();
    assertThat(x.holds(Double.NaN)).as("no data never holds").isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cpu_per_instance >= 500m | 50",
      "memory > 512Mi | 536870912",
      "memory>1.5Gi | 1610612736",
      "net_rx > 10k | 10000",
      "block_write > 2M | 2000000",
      "latency_p99 > 1.5s | 1500",
      "latency_p99 > 250ms | 250",
      "latency_p99 > 250 | 250",
      "requests < 1k | 1000",
      "errors_5xx > 5% | 5",
      "instances_running < 2 | 2",
      "unhealthy > 0 | 0",
      "cluster_memory_full_in < 24h | 86400",
      "cluster_memory_full_in < 90m | 5400"})
  void unitsScaleTheThreshold(String text, double base) {
    assertThat(AlertExpression.parse(text).threshold()).isEqualTo(base);
  }

  @Test
  void memoryInPercentIsOfTheLimit() {
    AlertExpression x = AlertExpression.parse("memory > 90%");
    assertThat(x.ofLimit()).isTrue();
    assertThat(AlertExpression.parse("memory > 90Mi").ofLimit()).isFalse();
  }

  @Test
  void restartsCountOverAWindow() {
    AlertExpression x = AlertExpression.parse("restarts[10m] > 3");
    assertThat(x.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(x.comparison()).isEqualTo(Comparison.GREATER);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"cpu > 80%", "memory > 512Mi", "restarts[10m] > 3", "net_tx <= 1.5Mi", "latency_p99 == 250ms",
      "cluster_memory_full_in < 1d", "requests >= 50"})
  void theWrittenFormReadsBackTheSame(String text) {
    AlertExpression x = AlertExpression.parse(text);
    assertThat(x.toString()).isEqualTo(text);
    assertThat(AlertExpression.parse(x.toString())).isEqualTo(x);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cpux > 80% | unknown metric 'cpux' at 1: expected one of cpu, cpu_per_instance, memory,",
      "'  > 3' | unknown metric '>' at 3",
      "cpu 80% | expected a comparison (> >= < <= ==) at 5, got '80%'",
      "cpu => 80% | expected a comparison (> >= < <= ==) at 5, got '=> 80%'",
      "cpu > x | expected a number at 7, got 'x'",
      "cpu > | expected a number at 6, got the end",
      "cpu > 80x | unknown unit 'x' at 9 for cpu: expected a bare number or one of %, m",
      "restarts[10m] > 3Mi | unknown unit 'Mi' at 18 for restarts: it takes a bare number",
      "memory > 1Ti | unknown unit 'Ti' at 11 for memory",
      "restarts > 3 | restarts needs a window at 10",
      "cpu[5m] > 3 | '[' at 4: only restarts takes a window",
      "restarts[ten] > 3 | bad window 'ten' at 10",
      "restarts[2d] > 3 | bad window '2d' at 10: use a duration from 1s to 1d",
      "restarts[10m > 3 | '[' at 9 is not closed",
      "cpu > 80% and more | unexpected 'and more' at 11",
      "'' | empty expression"})
  void aMalformedExpressionIsRefusedNamingTheBadPart(String text, String message) {
    assertThatThrownBy(() -> AlertExpression.parse(text)).isInstanceOf(BerthException.Invalid.class).hasMessageContaining(message);
  }

  @Test
  void valuesAreWordedForPeople() {
    assertThat(AlertExpression.parse("memory > 1Gi").format(1.5 * (1 << 30))).isEqualTo("1.5Gi");
    assertThat(AlertExpression.parse("net_rx > 1k").format(2048)).isEqualTo("2Ki/s");
    assertThat(AlertExpression.parse("cpu > 80%").format(92.125)).isEqualTo("92.13%");
    assertThat(AlertExpression.parse("cpu > 80%").format(Double.NaN)).isEqualTo("no data");
  }
}

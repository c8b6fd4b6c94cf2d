package io.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {
  static AlertRule rule(String app, String name, String when, String forText) {
    return AlertRules.check(app, name, when, forText, null, null, null, AlertRule.Source.CLI, "ann", Instant.EPOCH);
  }

  @Test
  void rendersOneGroupPerAppOverTheManagersSeries() {
    String yml = PrometheusRules.render(List.of(rule("web", "high-cpu", "cpu > 80%", "2m"), rule("web", "mem", "memory > 90%", "1m"),
        rule("api", "down", "instances_running < 2", "30s")));
    assertThat(yml).contains("  - name: 'berth-app-api'", "  - name: 'berth-app-web'")
        .contains("      - alert: web_high_cpu\n        expr: 'sum by (app) (berth_container_cpu_percent{app=\"web\"}) > 80'\n        for: 2m")
        .contains("berth_container_memory_bytes{app=\"web\"} / berth_container_memory_limit_bytes{app=\"web\"} * 100) > 90")
        .contains("berth_app_instances{app=\"api\",state=\"RUNNING\"}) < 2")
        .contains("          severity: 'warning'");
    assertThat(yml.indexOf("berth-app-api")).isLessThan(yml.indexOf("berth-app-web"));
  }

  @Test
  void aMetricWithoutSeriesIsLeftOutWithAComment() {
    String yml = PrometheusRules.render(List.of(rule("web", "flappy", "restarts[10m] > 3", "1m")));
    assertThat(yml).contains("    rules: []\n      # flappy (restarts[10m] > 3) is left out: /metrics has no per-app series for restarts\n")
        .doesNotContain("alert:");
  }

  @Test
  void theRoutersNumbersReadTheirGaugesWithLatencyInMilliseconds() {
    String yml = PrometheusRules.render(List.of(rule("web", "slow", "latency_p99 > 1s", "1m"), rule("web", "busy", "requests > 50", "1m"),
        rule("web", "failing", "errors_5xx > 5%", "1m")));
    assertThat(yml).contains("expr: 'max by (app) (berth_app_latency_p99_seconds{app=\"web\"}) * 1000 > 1000'")
        .contains("expr: 'sum by (app) (berth_app_requests_per_second{app=\"web\"}) > 50'")
        .contains("expr: 'max by (app) (berth_app_errors_5xx_percent{app=\"web\"}) > 5'");
  }

  @Test
  void noRulesIsAnEmptyFile() {
    assertThat(PrometheusRules.render(List.of())).endsWith("groups: []\n");
  }
}

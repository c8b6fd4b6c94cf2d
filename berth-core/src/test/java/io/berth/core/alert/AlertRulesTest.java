package io.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  static AlertRule rule(String name, String when, String forText, String severity, List<String> hooks, List<String> mails) {
    return AlertRules.check("web", name, when, forText, severity, hooks, mails, AlertRule.Source.CLI, "ann", NOW);
  }

  @Test
  void fillsTheDefaults() {
    AlertRule r = rule("high-cpu", " cpu > 80% ", null, null, null, null);
    assertThat(r.forDuration()).isEqualTo("0s");
    assertThat(r.severity()).isEqualTo("warning");
    assertThat(r.when()).isEqualTo("cpu > 80%");
    assertThat(r.id()).isEqualTo("web/high-cpu");
  }

  @Test
  void refusesEveryBadFieldAtOnce() {
    assertThatThrownBy(() -> rule("High CPU", "cpux > 1", "2x", "loud", List.of("ftp://x/hook", "http://hooks.example/a"),
        List.of("ann@example.com", "not-an-address")))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessageContaining("name: must be lower-case")
        .hasMessageContaining("when: unknown metric 'cpux' at 1")
        .hasMessageContaining("for: invalid duration '2x'")
        .hasMessageContaining("severity: must be one of info, warning, critical, got \"loud\"")
        .hasMessageContaining("webhooks: must be an http:// or https:// URL with a host, got \"ftp://x/hook\"")
        .hasMessageContaining("emails: not an e-mail address: \"not-an-address\"")
        .hasMessageNotContaining("hooks.example")
        .hasMessageNotContaining("ann@example.com");
  }

  @Test
  void aManifestRuleIsNamedByItsPath() {
    assertThatThrownBy(() -> AlertRules.check("web", "slow", "latency_p99 > 2 parsecs", "1m", null, null, null, AlertRule.Source.MANIFEST,
        "ann", NOW)).hasMessageContaining("alerts.slow.when: unknown unit 'parsecs' at 17 for latency_p99");
  }

  @Test
  void aForLongerThanADayIsRefused() {
    assertThatThrownBy(() -> rule("x", "cpu > 1", "2d", null, null, null)).hasMessageContaining("for: must be at most 1d");
  }
}

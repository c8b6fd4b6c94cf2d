package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.app.AppManifest;
import io.berth.core.app.ManifestRules;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code alerts:} in a manifest: read with Prometheus' {@code for}, checked as the CLI's rules are, kept by a deploy that leaves them out. */
class ManifestAlertsTest {
  static final String WEB = """
      name: web
      image: berth/busybox:1
      command: [httpd, -f]
      alerts:
        - name: high-cpu
          when: cpu > 80%
          for: 2m
          webhooks: [http://hooks.example/berth]
        - name: crashing
          when: restarts[10m] > 3
      """;

  static AppManifest resolve(String text, Optional<AppManifest> previous) {
    return ManifestRules.resolve(ManifestYaml.read(text), previous, Optional.empty());
  }

  @Test
  void aManifestCarriesItsRulesWithTheirDefaults() {
    AppManifest m = resolve(WEB, Optional.empty());
    assertThat(m.alerts()).containsExactly(
        new AppManifest.Alert("high-cpu", "cpu > 80%", "2m", "warning", List.of("http://hooks.example/berth"), List.of()),
        new AppManifest.Alert("crashing", "restarts[10m] > 3", "0s", "warning", List.of(), List.of()));
  }

  @Test
  void aDeployWithoutAlertsKeepsThePreviousAndAnEmptyListDropsThem() {
    AppManifest v1 = resolve(WEB, Optional.empty());
    assertThat(resolve("name: web\nimage: berth/busybox:2\n", Optional.of(v1)).alerts()).hasSize(2);
    assertThat(resolve("name: web\nimage: berth/busybox:2\nalerts: []\n", Optional.of(v1)).alerts()).isEmpty();
  }

  @Test
  void aBadRuleIsRefusedNamingItsPath() {
    assertThatThrownBy(() -> resolve(WEB.replace("cpu > 80%", "cpux > 80%").replace("http://hooks", "ftp://hooks"), Optional.empty()))
        .hasMessageContaining("alerts.high-cpu.when: unknown metric 'cpux' at 1")
        .hasMessageContaining("alerts.high-cpu.webhooks: must be an http:// or https:// URL");
    assertThatThrownBy(() -> resolve(WEB.replace("crashing", "high-cpu"), Optional.empty()))
        .hasMessageContaining("alerts[1]: the name high-cpu is used twice");
  }
}

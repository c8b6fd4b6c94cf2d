package io.berth.manager.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.alert.AlertMetric;
import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertRules;
import io.berth.core.alert.PrometheusRules;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's promtool loads what {@code GET /v1/alerts/rules.yml} renders: a rule on every metric (13 of them have series), every comparison. */
class PromtoolRulesTest {
  static final String EXAMPLE = "cpu > 80%|cpu_per_instance >= 500m|memory > 90%|memory > 512Mi|net_rx > 1Mi|net_tx < 10k|block_read > 1M|"
      + "block_write <= 2Gi|restarts[10m] > 3|instances_running < 2|unhealthy > 0|requests > 50|errors_5xx > 5%|latency_p99 > 1s|"
      + "cluster_memory_full_in < 24h";

  static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) return Path.of(dir, "promtool").toString();
    }
    return null;
  }

  @Test
  void promtoolChecksTheRenderedRules(@TempDir Path dir) throws Exception {
    List<AlertRule> rules = new ArrayList<>();
    String[] whens = EXAMPLE.split("\\|");
    assertThat(whens).hasSize(AlertMetric.values().length + 1);
    for (int i = 0; i < whens.length; i++) {
      rules.add(AlertRules.check(i % 2 == 0 ? "web" : "api-2", "rule-" + i, whens[i], i % 3 + "m", null, null, null,
          AlertRule.Source.CLI, "ann", Instant.EPOCH));
    }
    String yml = PrometheusRules.render(rules);
    String promtool = promtool();
    assumeTrue(promtool != null, "promtool is not installed (Debian's prometheus package): the rendered rules are not checked");
    Path file = dir.resolve("rules.yml");
    Files.writeString(file, yml);
    Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out + "\n" + yml).isZero();
    assertThat(out).contains("SUCCESS: 13 rules found");
  }
}

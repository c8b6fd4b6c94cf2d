package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics flags of join, dev and manage: a bad value is one line and exit 1, before anything starts. */
class MetricsFlagsTest {
  @TempDir Path dir;

  record Run(int exit, String err) {}

  Run berth(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, err.toString());
  }

  @Test
  void aBadMetricsIntervalIsRefusedInOneLine() {
    for (String bad : new String[] {"500ms", "0s", "2h", "often", "1500ms", "9223372036854775807h"}) {
      Run r = berth("join", "--manager", "127.0.0.1:1", "--advertise", "127.0.0.1:12376", "--data", dir.toString(),
          "--metrics-interval", bad);
      assertThat(r.exit()).as(bad).isEqualTo(1);
      assertThat(r.err()).as(bad).isEqualTo("berth join: --metrics-interval must be whole seconds from 1s to 1h (e.g. 10s), not '" + bad + "'\n");
    }
    Run dev = berth("dev", "--data", dir.toString(), "--metrics-interval", "0s");
    assertThat(dev.exit()).isEqualTo(1);
    assertThat(dev.err()).startsWith("berth dev: --metrics-interval must be whole seconds");
  }

  @Test
  void aBadScaleDownWindowIsRefusedInOneLineBeforeTheManagerStarts() {
    for (String command : new String[] {"manage", "dev"}) {
      Run r = command.equals("dev") ? berth("dev", "--data", dir.toString(), "--scale-down-window", "2h")
          : berth("manage", "--store", "sqlite://" + dir.resolve("x.db"), "--data", dir.toString(), "--scale-down-window", "2h");
      assertThat(r.exit()).as(command).isEqualTo(1);
      assertThat(r.err()).as(command).isEqualTo("berth " + command + ": --scale-down-window must be from 0s to 1h (e.g. 5m), not '2h'\n");
    }
    assertThat(Flags.scaleDownWindow("0s")).isZero();
  }

  @Test
  void aBadAutoscaleOrAlertPaceIsRefusedInOneLineBeforeTheManagerStarts() {
    for (String command : new String[] {"manage", "dev"}) {
      for (String[] flag : new String[][] {{"--autoscale-every", "15s"}, {"--alert-every", "10s"}}) {
        for (String bad : new String[] {"0s", "500ms", "6m", "often"}) {
          Run r = command.equals("dev") ? berth("dev", "--data", dir.toString(), flag[0], bad)
              : berth("manage", "--store", "sqlite://" + dir.resolve("x.db"), "--data", dir.toString(), flag[0], bad);
          assertThat(r.exit()).as(command + " " + flag[0] + " " + bad).isEqualTo(1);
          assertThat(r.err()).as(command + " " + flag[0] + " " + bad)
              .isEqualTo("berth " + command + ": " + flag[0] + " must be whole seconds from 1s to 5m (e.g. " + flag[1] + "), not '" + bad + "'\n");
        }
      }
    }
    assertThat(Flags.autoscaleEvery("1s")).hasSeconds(1);
    assertThat(Flags.alertEvery("5m")).hasMinutes(5);
  }

  @Test
  void aBadRetentionOrMetricsAddressIsRefusedInOneLine() {
    Run r = berth("manage", "--store", "sqlite://" + dir.resolve("x.db"), "--data", dir.toString(), "--metrics-retention", "30s");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth manage: --metrics-retention must be from 1m to 24h (e.g. 1h), not '30s'\n");
    Run addr = berth("join", "--manager", "127.0.0.1:1", "--advertise", "127.0.0.1:12376", "--data", dir.toString(),
        "--metrics-addr", "nowhere");
    assertThat(addr.exit()).isNotZero();
    assertThat(addr.err()).contains("--metrics-addr").doesNotContain("Exception");
  }

  @Test
  void metricsAddrDefaultsToTheAdvertisedHostOnDockerdsMetricsPort() {
    assertThat(Flags.metricsAddr(null, "10.0.0.5").getPort()).isEqualTo(9323);
    assertThat(Flags.metricsAddr(null, "10.0.0.5").getHostString()).isEqualTo("10.0.0.5");
    assertThat(Flags.metricsAddr("off", "10.0.0.5")).isNull();
    assertThat(Flags.metricsAddr("0.0.0.0:9100", "10.0.0.5").getPort()).isEqualTo(9100);
  }
}

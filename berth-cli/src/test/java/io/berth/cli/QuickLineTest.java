package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which command lines the quick path takes, and that it leaves every other to picocli. */
class QuickLineTest {
  @Test
  void takesTheFourViewsWithTheirAliasesAndOptions() {
    assertThat(QuickLine.parse("version")).isEqualTo(new QuickLine("version", false, Map.of()));
    assertThat(QuickLine.parse("nodes")).isEqualTo(new QuickLine("nodes", false, Map.of()));
    assertThat(QuickLine.parse("app", "list", "--json")).isEqualTo(new QuickLine("app ls", true, Map.of()));
    assertThat(QuickLine.parse("lrp", "ls", "--domain", "d1")).isEqualTo(new QuickLine("lrp list", false, Map.of("--domain", "d1")));
    assertThat(QuickLine.parse("nodes", "--api=http://a:1,http://b:2", "--json", "--token", "t", "--data", "/tmp/d"))
        .isEqualTo(new QuickLine("nodes", true, Map.of("--api", "http://a:1,http://b:2", "--token", "t", "--data", "/tmp/d")));
    assertThat(QuickLine.parse("lrp", "list", "--token=", "--domain=")).isEqualTo(new QuickLine("lrp list", false,
        Map.of("--token", "", "--domain", "")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "--help", "-h", "version --help", "version x", "nodes --help", "nodes -h", "nodes --forecast", "nodes --json --json",
      "nodes --api", "nodes --api --json", "nodes --api a --api b", "nodes --domain d", "nodes extra", "nodes --", "nodes @args",
      "nodes --api @file", "nodes --json=true", "nodes --JSON", "app", "app ls extra", "app status web", "app ls -d", "lrp",
      "lrp get g", "lrp list --domain", "lrp list --watch", "lrp create", "help nodes", "list", "nodes --token -x"})
  void leavesAnythingElseToPicocli(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThat(QuickLine.parse(args)).as(line).isNull();
  }
}

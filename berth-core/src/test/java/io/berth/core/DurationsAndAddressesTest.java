package io.berth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsAndAddressesTest {
  @Test
  void parsesEveryUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void wordsADurationInItsLargestWholeUnitSoParseReadsItBack() {
    for (String w : new String[] {"1h", "90m", "45s", "500ms", "2d", "0s"}) assertThat(Durations.words(Durations.parse(w))).isEqualTo(w);
    assertThat(Durations.words(Duration.ofMinutes(120))).isEqualTo("2h");
  }

  @Test
  void rejectsDurationsWithoutUnitsSayingTheForm() {
    assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("e.g. 500ms, 3s");
    assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void splitsHostAndPortAndNamesTheFlagOnError() {
    assertThat(Addresses.parse("--api-addr", "0.0.0.0:8080")).isEqualTo(new Addresses.HostPort("0.0.0.0", 8080));
    assertThat(Addresses.parse("--x", "[::1]:1").host()).isEqualTo("::1");
    assertThatThrownBy(() -> Addresses.parse("--api-addr", "8080")).hasMessageStartingWith("--api-addr must be HOST:PORT");
    assertThatThrownBy(() -> Addresses.parse("--api-addr", "h:70000")).hasMessageContaining("0-65535");
  }
}

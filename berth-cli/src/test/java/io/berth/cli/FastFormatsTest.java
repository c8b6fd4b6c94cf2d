package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FastFormats answers exactly what String.format and Instant.parse answer. */
class FastFormatsTest {
  private final Locale before = Locale.getDefault(Locale.Category.FORMAT);

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(Locale.Category.FORMAT, before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"en-US", "en-GB", "und", "en", "de-DE", "en-ZA", "fr-FR", "ar-EG", "en-US-u-nu-arab"})
  void oneDecimalIsStringFormatsInEachLocale(String tag) {
    Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag(tag));
    Random random = new Random(150);
    double[] edges = {0, 0.05, 0.15, 0.25, 0.95, 1, 9.95, 9.96, 99.95, 999.99, 1023.95, 0.001, 0.0009, 1e7, 9999999.96, 23.5,
        4294967296.0 / (1L << 30), 25_283_133_440.0 / (1L << 30), Double.MIN_VALUE, 1e300, -1.25};
    for (double v : edges) assertThat(FastFormats.oneDecimal(v)).as("%s", v).isEqualTo(String.format("%.1f", v));
    for (int i = 0; i < 20_000; i++) {
      double v = switch (i % 3) {
        case 0 -> random.nextDouble() * 100;
        case 1 -> random.nextLong(1L << 30, 1L << 50) / (double) (1L << 30); // memory in GiB, as `berth nodes` prints it
        default -> Math.round(random.nextDouble() * 100_000) / 100.0 + 0.05; // ties in decimal, near ties in binary
      };
      assertThat(FastFormats.oneDecimal(v)).as("%s", v).isEqualTo(String.format("%.1f", v));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-07T11:46:45Z", "2026-12-07T11:46:45.123Z", "2026-12-07T11:46:45.1Z",
      "2026-12-07T11:46:45.123456789Z", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "2026-12-31T23:59:59.999999999Z",
      "2026-12-07T23:59:60Z", "2026-12-07T24:00:00Z", "2026-12-07T11:46:45+01:00", "+12026-12-07T11:46:45Z",
      "2026-12-07T11:46:45.Z"})
  void instantIsInstantParse(String text) {
    assertThat(FastFormats.instant(text)).isEqualTo(Instant.parse(text));
  }

  @Test
  void instantIsInstantParseOverFourHundredYearsOfTimes() {
    Random random = new Random(1970);
    long from = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(from, to), i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
      assertThat(FastFormats.instant(t.toString())).isEqualTo(t);
    }
    for (String leap : new String[] {"2000-02-29T12:00:00Z", "1900-03-01T00:00:00Z", "2100-02-28T23:59:59Z", "0000-02-29T00:00:00Z"}) {
      assertThat(FastFormats.instant(leap)).isEqualTo(Instant.parse(leap));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-07T11:60:00Z", "2026-12-07T11:46:45.1234567890Z",
      "2026-12-07 11:46:45Z", "2026-1x-07T11:46:45Z", "yesterday", ""})
  void aTimeInstantParseRefusesIsRefusedInItsWords(String text) {
    String theirs = null;
    try {
      Instant.parse(text);
    } catch (DateTimeParseException e) {
      theirs = e.getMessage();
    }
    assertThat(theirs).isNotNull();
    assertThatThrownBy(() -> FastFormats.instant(text)).isInstanceOf(DateTimeParseException.class).hasMessage(theirs);
  }
}

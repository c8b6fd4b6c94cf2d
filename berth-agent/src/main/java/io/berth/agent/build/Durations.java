package io.berth.agent.build;

import java.util.Locale;

/** Durations as the build log words them: {@code 850 ms}, {@code 12.4 s}, {@code 3m05s}. */
final class Durations {
  private Durations() {}

  static String words(long millis) {
    if (millis < 1000) return millis + " ms";
    if (millis < 60_000) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    long s = millis / 1000;
    return s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
  }
}

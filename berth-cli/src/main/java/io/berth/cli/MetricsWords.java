package io.berth.cli;

import java.time.Duration;

/** A duration as the flags take it: {@code 1h}, {@code 90m}, {@code 45s}. */
final class MetricsWords {
  private MetricsWords() {}

  static String of(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) return s / 3600 + "h";
    if (s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}

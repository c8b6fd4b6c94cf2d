package io.berth.core.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A plain least-squares line through a series (the capacity forecast, docs/autoscale.md): how
 * many samples it rests on, its slope per hour and its value at {@code now} on the line. Below
 * {@value #MIN_SAMPLES} samples it says "not enough data" rather than guess.
 */
public record Trend(int samples, double perHour, double atNow) {
  public static final int MIN_SAMPLES = 10;
  private static final double HOUR_MILLIS = 3_600_000d;

  /** The line through the non-null {@code values} at {@code times} (epoch ms), read at {@code nowMillis}. */
  public static Trend fit(List<Long> times, List<Double> values, long nowMillis) {
    int n = 0;
    double st = 0;
    double sv = 0;
    for (int i = 0; i < times.size(); i++) {
      Double v = values.get(i);
      if (v == null || v.isNaN()) continue;
      n++;
      st += (times.get(i) - nowMillis) / HOUR_MILLIS; // hours before now: small numbers, no loss of precision
      sv += v;
    }
    if (n == 0) return new Trend(0, 0, Double.NaN);
    double mt = st / n;
    double mv = sv / n;
    double cov = 0;
    double var = 0;
    for (int i = 0; i < times.size(); i++) {
      Double v = values.get(i);
      if (v == null || v.isNaN()) continue;
      double t = (times.get(i) - nowMillis) / HOUR_MILLIS - mt;
      cov += t * (v - mv);
      var += t * t;
    }
    double slope = var == 0 ? 0 : cov / var;
    return new Trend(n, slope, mv - slope * mt);
  }

  public boolean enough() {
    return samples >= MIN_SAMPLES;
  }

  /** The sum of two trends over the same window (a cluster of nodes); the samples of the larger. */
  public Trend plus(Trend o) {
    if (o.samples == 0) return this;
    if (samples == 0) return o;
    return new Trend(Math.max(samples, o.samples), perHour + o.perHour, atNow + o.atNow);
  }

  /**
   * When the line reaches {@code capacity}: empty when it does not grow (less than a millionth of
   * the capacity an hour) or there is not enough data; zero when it is there already.
   */
  public Optional<Duration> fullIn(double capacity) {
    if (!enough() || !(capacity > 0) || perHour <= capacity * 1e-6) return Optional.empty();
    if (atNow >= capacity) return Optional.of(Duration.ZERO);
    double hours = (capacity - atNow) / perHour;
    return Optional.of(Duration.ofSeconds(Math.round(Math.min(hours * 3600, 100d * 365 * 86400))));
  }

  /** {@code memory reserved full in ~3 d}, {@code no growth} or {@code not enough data (4 of 10 samples)}. */
  public String says(String what, double capacity) {
    if (!enough()) return "not enough data (" + samples + " of " + MIN_SAMPLES + " samples)";
    return fullIn(capacity).map(d -> d.isZero() ? what + " full now" : what + " full in ~" + approximately(d)).orElse("no growth");
  }

  /** ~40 min, ~5 h, ~3 d. */
  static String approximately(Duration d) {
    long s = d.toSeconds();
    if (s < 3600) return Math.max(1, Math.round(s / 60d)) + " min";
    if (s < 2 * 86400) return Math.round(s / 3600d) + " h";
    return Math.round(s / 86400d) + " d";
  }
}

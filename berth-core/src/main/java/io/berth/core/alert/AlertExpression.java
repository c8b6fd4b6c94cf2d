package io.berth.core.alert;

import io.berth.core.alert.AlertMetric.Quantity;
import io.berth.core.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * A parsed rule expression, {@code METRIC[WINDOW] OP VALUE[UNIT]} ({@code memory > 90%},
 * {@code restarts[10m] > 3}). The threshold is kept in the metric's base unit (percent of a CPU,
 * bytes, bytes/s, ms, seconds); {@code ofLimit} marks a memory threshold written as % of the limit.
 *
 * @param window the span {@code restarts} counts over; null for every other metric
 */
public record AlertExpression(AlertMetric metric, Duration window, Comparison comparison, double threshold, boolean ofLimit) {

  /** Parses {@code text}; a malformed one throws {@code Invalid} naming the bad part and its column. */
  public static AlertExpression parse(String text) {
    return new ExpressionParser(text).parse();
  }

  /** True when a value read now makes the rule hold (never when there is no data: NaN). */
  public boolean holds(double value) {
    return comparison.holds(value, threshold);
  }

  /** The expression in its one written form: {@code restarts[10m] > 3}, {@code memory > 90%}. */
  @Override
  public String toString() {
    String w = window == null ? "" : "[" + Durations.words(window) + "]";
    return metric.word() + w + " " + comparison.symbol() + " " + written(threshold);
  }

  /** A value of this expression's metric for people: {@code 92%}, {@code 512Mi}, {@code 1.5Mi/s}, {@code 250ms}, {@code 3}. */
  public String format(double value) {
    if (Double.isNaN(value)) return "no data";
    Quantity q = metric.quantity();
    return written(value) + (q == Quantity.BYTES_PER_SECOND || q == Quantity.PER_SECOND ? "/s" : "");
  }

  /** A value as a threshold is written, so that {@link #toString} parses back to this expression. */
  private String written(double value) {
    Quantity q = metric.quantity();
    if (ofLimit || q == Quantity.CPU || q == Quantity.PERCENT) return number(value) + "%";
    return switch (q) {
      case BYTES, BYTES_PER_SECOND -> bytes(value);
      case MILLIS -> number(value) + "ms";
      case DURATION -> Durations.words(Duration.ofSeconds((long) value));
      default -> number(value);
    };
  }

  static String bytes(double v) {
    String[] units = {"Gi", "Mi", "Ki"};
    double[] sizes = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) if (Math.abs(v) >= sizes[i]) return number(v / sizes[i]) + units[i];
    return number(v);
  }

  /** Whole numbers without ".0", others with at most two decimals. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
  }
}

package io.berth.core.alert;

import io.berth.core.Durations;
import io.berth.core.alert.AlertMetric.Quantity;
import io.berth.core.error.BerthException;
import java.time.Duration;

/**
 * Reads one expression left to right, keeping the column (1-based) of what it reads, so each
 * refusal names the bad part and where it is: {@code unknown metric 'cpux' at 1: expected one of …}.
 */
final class ExpressionParser {
  private final String text;
  private int pos;

  ExpressionParser(String text) {
    this.text = text == null ? "" : text;
  }

  AlertExpression parse() {
    skipSpace();
    if (pos == text.length()) throw invalid("empty expression: write METRIC OP VALUE, e.g. cpu > 80%");
    int at = pos;
    String word = take(Character::isLetterOrDigit, '_');
    AlertMetric metric = AlertMetric.of(word).orElseThrow(() -> invalid("unknown metric '" + shown(word, at) + "' at " + (at + 1)
        + ": expected one of " + String.join(", ", AlertMetric.words())));
    Duration window = window(metric);
    skipSpace();
    int opAt = pos;
    Comparison op = Comparison.at(text.substring(pos)).orElseThrow(() -> invalid("expected a comparison ("
        + String.join(" ", Comparison.symbols()) + ") at " + (opAt + 1) + ", got " + rest(opAt)));
    pos += op.symbol().length();
    skipSpace();
    int numAt = pos;
    String number = take(c -> Character.isDigit(c) || c == '.', '\0');
    double value;
    try {
      value = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw invalid("expected a number at " + (numAt + 1) + ", got " + rest(numAt));
    }
    skipSpace();
    int unitAt = pos;
    String unit = take(c -> Character.isLetter(c) || c == '%', '\0');
    skipSpace();
    if (pos < text.length()) throw invalid("unexpected " + rest(pos) + " at " + (pos + 1) + ": the expression ends after the value");
    Quantity q = metric.quantity();
    if (!unit.isEmpty() && !q.units().contains(unit)) {
      throw invalid("unknown unit '" + unit + "' at " + (unitAt + 1) + " for " + metric.word() + ": "
          + (q.units().isEmpty() ? "it takes a bare number" : "expected a bare number or one of " + String.join(", ", q.units())));
    }
    return new AlertExpression(metric, window, op, value * scale(unit, q), unit.equals("%") && q == Quantity.BYTES);
  }

  private Duration window(AlertMetric metric) {
    skipSpace();
    boolean open = pos < text.length() && text.charAt(pos) == '[';
    if (!metric.windowed()) {
      if (open) throw invalid("'[' at " + (pos + 1) + ": only restarts takes a window, e.g. restarts[10m] > 3");
      return null;
    }
    if (!open) throw invalid(metric.word() + " needs a window at " + (pos + 1) + ", e.g. restarts[10m] > 3");
    int at = pos++;
    int close = text.indexOf(']', pos);
    if (close < 0) throw invalid("'[' at " + (at + 1) + " is not closed: write restarts[10m]");
    String w = text.substring(pos, close).trim();
    pos = close + 1;
    try {
      Duration d = Durations.parse(w);
      if (d.isZero() || d.toHours() > 24) throw new IllegalArgumentException("out of range");
      return d;
    } catch (IllegalArgumentException e) {
      throw invalid("bad window '" + w + "' at " + (at + 2) + ": use a duration from 1s to 1d, like 30s, 10m or 1h");
    }
  }

  /** How many base units one {@code unit} is. */
  static double scale(String unit, Quantity q) {
    return switch (unit) {
      case "", "%", "ms" -> 1;
      case "m" -> q == Quantity.CPU ? 0.1 : 60; // millicores (1000m = 100 %), or minutes of a duration
      case "k" -> 1e3;
      case "M" -> 1e6;
      case "G" -> 1e9;
      case "Ki" -> 1024;
      case "Mi" -> 1024.0 * 1024;
      case "Gi" -> 1024.0 * 1024 * 1024;
      case "s" -> q == Quantity.MILLIS ? 1000 : 1;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> throw new IllegalArgumentException("unit " + unit);
    };
  }

  private interface CharTest {
    boolean test(char c);
  }

  private String take(CharTest ok, char also) {
    int start = pos;
    while (pos < text.length() && (ok.test(text.charAt(pos)) || text.charAt(pos) == also)) pos++;
    return text.substring(start, pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  /** What is left from {@code at}, quoted, or "the end". */
  private String rest(int at) {
    if (at >= text.length()) return "the end";
    String r = text.substring(at).trim();
    return "'" + (r.length() > 20 ? r.substring(0, 20) + "…" : r) + "'";
  }

  /** The word read, or the character that stopped it when there was none. */
  private String shown(String word, int at) {
    return word.isEmpty() && at < text.length() ? text.substring(at, at + 1) : word;
  }

  private static BerthException.Invalid invalid(String message) {
    return new BerthException.Invalid("InvalidAlertRule", message);
  }
}

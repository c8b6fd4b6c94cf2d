package io.berth.core.alert;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The comparisons a rule may make, as Prometheus writes them. */
public enum Comparison {
  GREATER_OR_EQUAL(">="), LESS_OR_EQUAL("<="), EQUAL("=="), GREATER(">"), LESS("<");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True when {@code value} compared with {@code threshold} holds; never for NaN (no data). */
  public boolean holds(double value, double threshold) {
    if (Double.isNaN(value)) return false;
    return switch (this) {
      case GREATER -> value > threshold;
      case GREATER_OR_EQUAL -> value >= threshold;
      case LESS -> value < threshold;
      case LESS_OR_EQUAL -> value <= threshold;
      case EQUAL -> value == threshold;
    };
  }

  /** The comparison {@code text} starts with (the two-character ones first), if any. */
  static Optional<Comparison> at(String text) {
    return Arrays.stream(values()).filter(c -> text.startsWith(c.symbol)).findFirst();
  }

  static List<String> symbols() {
    return List.of(">", ">=", "<", "<=", "==");
  }
}

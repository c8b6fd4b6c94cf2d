package io.berth.core.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes Prometheus' text exposition format 0.0.4: {@code # HELP} and {@code # TYPE} once per
 * family, then its samples, {@code name{label="value"} number}. Label values escape {@code \},
 * {@code "} and newline; help text escapes {@code \} and newline; numbers are Go-parseable
 * ({@code NaN}, {@code +Inf}). Names are checked: a bad one is a programming error, not output.
 */
public final class PrometheusText {
  /** The content type scrapers expect for this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private final StringBuilder out;

  public PrometheusText(StringBuilder out) {
    this.out = out;
  }

  /** Starts a family: {@code type} is counter, gauge, histogram or untyped. */
  public PrometheusText family(String name, String type, String help) {
    checkName(name);
    out.append("# HELP ").append(name).append(' ');
    escapeHelp(help, out);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One sample; {@code labelValues} pair up with {@code labelNames} (a null value is written as empty). */
  public PrometheusText sample(String name, List<String> labelNames, List<String> labelValues, double value) {
    out.append(name);
    if (!labelNames.isEmpty()) {
      out.append('{');
      for (int i = 0; i < labelNames.size(); i++) {
        if (i > 0) out.append(',');
        out.append(labelNames.get(i)).append("=\"");
        escapeLabel(labelValues.get(i), out);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ');
    number(value, out);
    out.append('\n');
    return this;
  }

  public static void checkName(String name) {
    if (!METRIC_NAME.matcher(name).matches()) throw new IllegalArgumentException("not a Prometheus metric name: " + name);
  }

  public static void checkLabel(String label) {
    if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
      throw new IllegalArgumentException("not a Prometheus label name: " + label);
    }
  }

  static void escapeLabel(String v, StringBuilder out) {
    if (v == null) return;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  static void escapeHelp(String v, StringBuilder out) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  static void number(double v, StringBuilder out) {
    if (Double.isNaN(v)) {
      out.append("NaN");
    } else if (Double.isInfinite(v)) {
      out.append(v > 0 ? "+Inf" : "-Inf");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      out.append((long) v);
    } else {
      out.append(v);
    }
  }
}

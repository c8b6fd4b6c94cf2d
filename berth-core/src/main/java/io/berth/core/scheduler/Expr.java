package io.berth.core.scheduler;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Swarm scheduling expression, {@code KEY==VALUE}, {@code KEY!=VALUE} or their soft forms
 * {@code ==~} / {@code !=~}. A value may be a glob ({@code node*}) or a regular expression between
 * slashes ({@code /node[12]/}); matching ignores case, as Swarm's did.
 */
public final class Expr {
  private static final Pattern FORM = Pattern.compile("([\\w.\\-/]+)\\s*(==~|!=~|==|!=)\\s*(.+)");
  private final String key;
  private final boolean equal;
  private final String value;
  private final boolean soft;
  private final String text;
  private final Pattern pattern; // null for a plain value: compared without a regex, the common case

  Expr(String key, boolean equal, String value, boolean soft, String text) {
    this.key = key;
    this.equal = equal;
    this.value = value;
    this.soft = soft;
    this.text = text;
    if (value.length() > 1 && value.startsWith("/") && value.endsWith("/")) {
      pattern = Pattern.compile(value.substring(1, value.length() - 1), Pattern.CASE_INSENSITIVE);
    } else if (value.contains("*") || value.contains("?")) {
      pattern = Pattern.compile(globToRegex(value), Pattern.CASE_INSENSITIVE);
    } else {
      pattern = null;
    }
  }

  public String key() {
    return key;
  }

  /** True for {@code ==}, false for {@code !=}. */
  public boolean equal() {
    return equal;
  }

  public String value() {
    return value;
  }

  /** True when the value is a plain word (no glob, no regex), compared for equality. */
  public boolean plain() {
    return pattern == null;
  }

  /** Soft expressions narrow the candidates only when some node satisfies them. */
  public boolean soft() {
    return soft;
  }

  /** Parses {@code kind:} text (without the {@code constraint:} prefix); {@code kind} names it in errors. */
  public static Expr parse(String kind, String text) {
    var m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid " + kind + " '" + text + "': expected KEY==VALUE, KEY!=VALUE, KEY==~VALUE or KEY!=~VALUE");
    }
    String op = m.group(2);
    String value = m.group(3).trim();
    if (value.length() > 1 && value.startsWith("/") && value.endsWith("/")) {
      try {
        Pattern.compile(value.substring(1, value.length() - 1));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid " + kind + " '" + text + "': bad regular expression: " + e.getDescription());
      }
    }
    return new Expr(m.group(1), op.startsWith("=="), value, op.endsWith("~"), text.trim());
  }

  /** True when {@code actual} (null: the key is absent) satisfies this expression. */
  public boolean matches(String actual) {
    boolean hit = actual != null && valueMatches(actual);
    return equal == hit;
  }

  /** True when any of {@code actuals} equals the value (for keys with several values, e.g. container names). */
  public boolean matchesAny(Iterable<String> actuals) {
    boolean hit = false;
    for (String a : actuals) {
      if (valueMatches(a)) {
        hit = true;
        break;
      }
    }
    return equal == hit;
  }

  private boolean valueMatches(String actual) {
    if (pattern == null) return value.equalsIgnoreCase(actual);
    return value.startsWith("/") ? pattern.matcher(actual).find() : pattern.matcher(actual).matches();
  }

  private static String globToRegex(String glob) {
    StringBuilder r = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> r.append(".*");
        case '?' -> r.append('.');
        default -> r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return r.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expr e && e.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}

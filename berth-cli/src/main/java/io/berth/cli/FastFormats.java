package io.berth.cli;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Two formats the tables use, without the JDK's formatters where their answer is known: the first
 * {@code String.format} of a JVM sets up its locale's number symbols (~8 ms of a quick command
 * here), the first {@code Instant.parse} the ISO formatters (~2.5 ms). Each gives exactly what the
 * JDK's call gives, and calls it for anything else.
 */
final class FastFormats {
  /** The countries of English locales that write a decimal point, none else, and no grouping here: "" is English of no country. */
  private static final Set<String> PLAIN_ENGLISH = Set.of("", "US", "GB");

  private FastFormats() {}

  /**
   * {@code String.format("%.1f", value)} in the default locale. Done here for the locales whose
   * numbers read as Java's own (none, or English as the US and Britain write it: English of other
   * countries may write a decimal comma), for values {@code Double.toString} writes without
   * an exponent: Formatter rounds those same shortest digits half up, as this does.
   */
  static String oneDecimal(double value) {
    Locale locale = Locale.getDefault(Locale.Category.FORMAT);
    boolean plain = !locale.hasExtensions() && (locale.getLanguage().isEmpty()
        || locale.getLanguage().equals("en") && PLAIN_ENGLISH.contains(locale.getCountry()));
    String digits = Double.toString(value);
    if (!plain || value < 0 || digits.indexOf('E') >= 0 || digits.indexOf('.') < 0) return String.format("%.1f", value);
    int dot = digits.indexOf('.');
    String whole = digits.substring(0, dot);
    int tenth = digits.charAt(dot + 1) - '0';
    boolean up = dot + 2 < digits.length() && digits.charAt(dot + 2) >= '5';
    if (!up) return whole + "." + tenth;
    if (tenth < 9) return whole + "." + (tenth + 1);
    return (Long.parseLong(whole) + 1) + ".0"; // 9.95 -> 10.0; below 10^7 a long holds the whole part
  }

  /**
   * {@code Instant.parse(text)}: read here when it has the shape Berth writes ({@code Instant.toString()},
   * {@code 2026-12-07T11:46:45.123Z}), else by the JDK, which also words any error.
   */
  static Instant instant(String text) {
    int n = text.length();
    if (n >= 20 && n <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(n - 1) == 'Z') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      int hour = digits(text, 11, 13);
      int minute = digits(text, 14, 16);
      int second = digits(text, 17, 19);
      int nanos = fraction(text, 19, n - 1);
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour < 24
          && minute >= 0 && minute < 60 && second >= 0 && second < 60 && nanos >= 0) {
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
      }
    }
    return Instant.parse(text);
  }

  /**
   * Days from 1970-01-01 to a valid date of the years 0 to 9999, as {@code LocalDate.toEpochDay}
   * counts them; LocalDate itself would set up java.time.Year, whose static parser builds the ISO
   * formatters this class spares.
   */
  private static long epochDay(int year, int month, int day) {
    long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
    total += (367L * month - 362) / 12 + day - 1;
    if (month > 2) total -= leap(year) ? 1 : 2;
    return total - 719_528; // days from 0000-01-01 to 1970-01-01
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> leap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static boolean leap(int year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  /** The decimal number in {@code text[from, to)}, or -1 when any of it is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Nanoseconds of {@code .d{1,9}} in {@code text[from, to)}, 0 when empty, -1 when not that shape. */
  private static int fraction(String text, int from, int to) {
    if (from == to) return 0;
    int count = to - from - 1;
    if (text.charAt(from) != '.' || count < 1 || count > 9) return -1;
    int value = digits(text, from + 1, to);
    if (value < 0) return -1;
    for (int i = count; i < 9; i++) value *= 10;
    return value;
  }
}

package io.berth.bench;

import java.util.Arrays;

/** Latencies of an operation beside its baseline, taken interleaved, and the table rows that compare them. */
final class Latencies {
  private Latencies() {}

  /** A timed call; returns something so the work cannot be dropped. */
  @FunctionalInterface
  interface Call {
    Object call(int i) throws Exception;
  }

  /** Latencies of one operation and of its baseline, taken interleaved (call i of each, one after the other). */
  record Pair(long[] measured, long[] baseline) {}

  static Pair interleaved(int n, Call measured, Call baseline) throws Exception {
    long[] m = new long[n];
    long[] b = new long[n];
    int sink = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      Object x = measured.call(i);
      long t1 = System.nanoTime();
      Object y = baseline.call(i);
      long t2 = System.nanoTime();
      m[i] = t1 - t0;
      b[i] = t2 - t1;
      sink += (x == null ? 0 : 1) + (y == null ? 0 : 1);
    }
    if (sink == -1) System.out.print("");
    return new Pair(m, b);
  }

  static void header(String unit) {
    System.out.printf("%-40s %8s %9s %9s | %-34s %9s %9s | %8s %8s%n", "(" + unit + ")", "calls", "p50", "p99", "baseline", "p50", "p99",
        "p50 x", "p99 x");
  }

  /** One measured row beside its baseline; {@code unit} nanoseconds per printed unit. */
  static void row(String what, long[] measured, String baselineName, long[] baseline, double unit) {
    double mp50 = pct(measured, 50) / unit;
    double mp99 = pct(measured, 99) / unit;
    double bp50 = pct(baseline, 50) / unit;
    double bp99 = pct(baseline, 99) / unit;
    System.out.printf("%-40s %8d %9s %9s | %-34s %9s %9s | %7.1fx %7.1fx%n", what, measured.length, num(mp50), num(mp99), baselineName,
        num(bp50), num(bp99), mp50 / bp50, mp99 / bp99);
  }

  static String num(double x) {
    return x >= 100 ? String.format("%.0f", x) : x >= 10 ? String.format("%.1f", x) : String.format("%.2f", x);
  }

  /** Nearest-rank percentile. */
  static double pct(long[] xs, double p) {
    long[] s = xs.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String samples(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) b.append(b.length() == 0 ? "" : " ").append(String.format("%.0f", x));
    return b.toString();
  }
}

package io.berth.core.app;

import io.berth.core.lrp.Problems;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an app scales itself (docs/autoscale.md): between {@code min} and {@code max} instances,
 * aiming at each named target — {@code cpu} (percent of one CPU per instance, {@code 60%}),
 * {@code memory} (percent of the memory limit, {@code 70%}) and {@code requestsPerInstance}
 * (requests per second per running instance). A target left out is not a metric of this app.
 */
public record Autoscale(Integer min, Integer max, String cpu, String memory, Double requestsPerInstance) {
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");

  /** The CPU target in percent, or NaN when there is none; the autoscale must be checked. */
  public double cpuPercent() {
    return percent(cpu);
  }

  /** The memory target in percent of the limit, or NaN when there is none; the autoscale must be checked. */
  public double memoryPercent() {
    return percent(memory);
  }

  /** The requests-per-instance target, or NaN when there is none. */
  public double requestsTarget() {
    return requestsPerInstance == null ? Double.NaN : requestsPerInstance;
  }

  private static double percent(String text) {
    if (text == null) return Double.NaN;
    Matcher m = PERCENT.matcher(text.trim());
    if (!m.matches()) throw new IllegalArgumentException("not a percentage: " + text);
    return Double.parseDouble(m.group(1));
  }

  /**
   * Every problem of this autoscale under {@code path} ({@code autoscale} in a manifest, empty for
   * the API's body): min from 1, max from min to {@code maxInstances}, each target a positive
   * number with {@code %} (or none) for cpu and memory, and at least one target.
   */
  public void check(Problems p, String path, int maxInstances) {
    String at = path.isEmpty() ? "" : path + ".";
    if (min == null) p.add(at + "min", "required: the fewest instances, 1 or more");
    else if (min < 1) p.add(at + "min", "must be at least 1, got " + min);
    if (max == null) p.add(at + "max", "required: the most instances, at most " + maxInstances);
    else if (max > maxInstances) p.add(at + "max", "must be at most the instance limit " + maxInstances + ", got " + max);
    if (min != null && max != null && min > max) p.add(at + "min", "min " + min + " is above max " + max);
    checkPercent(p, at + "cpu", cpu, 1000);
    checkPercent(p, at + "memory", memory, 100);
    if (requestsPerInstance != null && !(requestsPerInstance > 0 && requestsPerInstance <= 1_000_000)) {
      p.add(at + "requests_per_instance", "must be a number of requests per second above 0, got " + requestsPerInstance);
    }
    if (cpu == null && memory == null && requestsPerInstance == null) {
      p.add(path.isEmpty() ? "autoscale" : path, "name at least one target: cpu (e.g. 60%), memory (e.g. 70%) or requests_per_instance (e.g. 50)");
    }
  }

  private static void checkPercent(Problems p, String path, String text, int most) {
    if (text == null) return;
    Matcher m = PERCENT.matcher(text.trim());
    if (!m.matches()) {
      p.add(path, "must be a percentage like 60%, got " + Problems.quote(text));
      return;
    }
    double v = Double.parseDouble(m.group(1));
    if (!(v > 0) || v > most) p.add(path, "must be above 0% and at most " + most + "%, got " + text);
  }
}

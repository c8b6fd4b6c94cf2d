package io.berth.core.scale;

/**
 * What an app's instances measure now, per instance: the inputs of {@link Hpa}. A value that
 * could not be measured is NaN and proposes nothing.
 *
 * @param measured how many instances the numbers come from (HPA's ready pods)
 * @param cpuPercent the average CPU of those instances, in percent of one CPU
 * @param memoryPercent their memory used, in percent of their memory limits
 * @param requestsPerInstance the app's requests per second through the routers, divided by {@code measured}
 */
public record Load(int measured, double cpuPercent, double memoryPercent, double requestsPerInstance) {
  /** Nothing measured: no instance reported. */
  public static final Load NONE = new Load(0, Double.NaN, Double.NaN, Double.NaN);
}

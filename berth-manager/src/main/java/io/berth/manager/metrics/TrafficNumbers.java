package io.berth.manager.metrics;

import java.util.Optional;

/**
 * What the routers measured of one app's traffic over their last report window (from nginx's own
 * log): requests per second, the share of 5xx answers and the 99th percentile latency, summed over
 * every router and domain of the app. Alerts and autoscaling read it.
 */
public interface TrafficNumbers {
  TrafficNumbers NONE = (app, nowMillis) -> Optional.empty();

  /** One window's numbers; {@code atMillis} is when it ended. */
  record Traffic(double requestsPerSecond, double errors5xxPercent, double latencyP99Millis, long atMillis) {}

  /** The app's latest numbers, or empty when no router reported them within the last 30 s. */
  Optional<Traffic> latest(String app, long nowMillis);
}

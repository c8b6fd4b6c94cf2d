package io.berth.cluster.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.metrics.LatencyBuckets;
import java.util.List;

/**
 * What a router's nginx answered in one window ({@code POST /v1/routers/{id}/traffic}, every 5 s):
 * per domain of its live config, the requests, the 5xx answers among them and their latencies in
 * {@link LatencyBuckets}' fixed buckets. Every domain the config serves is listed, a quiet one with
 * zeros, so "no requests" is told apart from "no report".
 *
 * @param id the router, as in its status
 * @param at when the window ended, epoch milliseconds
 * @param windowMillis how long the window was
 */
public record TrafficReport(String id, String group, long at, long windowMillis, List<Domain> domains) {
  public TrafficReport {
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  /**
   * One domain's window.
   *
   * @param errors5xx written {@code errors_5xx} (snake case would run the digits into the word)
   * @param latencyMsBuckets counts per bucket of {@link LatencyBuckets#BOUNDS_MS}, the last for slower requests
   */
  public record Domain(String domain, long requests, @JsonProperty("errors_5xx") long errors5xx, List<Long> latencyMsBuckets) {
    public Domain {
      latencyMsBuckets = latencyMsBuckets == null ? List.of() : List.copyOf(latencyMsBuckets);
    }
  }
}

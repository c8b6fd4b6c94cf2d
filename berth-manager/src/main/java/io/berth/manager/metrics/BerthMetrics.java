package io.berth.manager.metrics;

import io.berth.core.metrics.Counter;
import io.berth.core.metrics.Histogram;
import io.berth.core.metrics.MetricRegistry;
import io.berth.core.scheduler.Plan;

/**
 * The manager process's own counters and histograms, declared once where everything can reach
 * them — as Prometheus clients keep a default registry: they count what this process did (API
 * calls, placements, convergence passes, store operations), not the state of a cluster, so
 * two managers in one JVM (tests) simply add up. What describes the cluster (nodes and instances
 * by state, containers) is collected per manager at scrape time ({@link ManagerCollectors}).
 */
public final class BerthMetrics {
  public static final MetricRegistry REGISTRY = new MetricRegistry();
  public static final Counter API_REQUESTS = REGISTRY.counter("berth_api_requests_total",
      "Calls answered by the Berth API and the cluster endpoint, by method, route template and status", "method", "route", "status");
  public static final Histogram API_DURATION = REGISTRY.histogram("berth_api_request_duration_seconds",
      "Time from a call's arrival to its answer (a stream: to its end), by method and route template", Histogram.LATENCY_SECONDS,
      "method", "route");
  public static final Counter PLACEMENTS = REGISTRY.counter("berth_scheduler_placements_total",
      "Placement requests the scheduler decided, by who asked (lrp: convergence, docker: docker run) and outcome (placed, unplaced)",
      "source", "outcome");
  public static final Histogram PLACEMENT_DURATION = REGISTRY.histogram("berth_scheduler_placement_duration_seconds",
      "Time the scheduler took for one batch of placement requests, by who asked", Histogram.LATENCY_SECONDS, "source");
  public static final Counter CONVERGENCE_PASSES = REGISTRY.counter("berth_convergence_passes_total",
      "Whole passes of the LRP convergence loop, by outcome (ok, failed)", "outcome");
  public static final Histogram CONVERGENCE_DURATION = REGISTRY.histogram("berth_convergence_pass_duration_seconds",
      "Time one convergence pass took", Histogram.LATENCY_SECONDS);
  public static final Counter STORE_OPERATIONS = REGISTRY.counter("berth_store_operations_total",
      "Operations on the state store, by operation and outcome (ok, conflict: a compare-and-set lost, failed)", "op", "outcome");
  public static final Histogram STORE_DURATION = REGISTRY.histogram("berth_store_operation_duration_seconds",
      "Time one store operation took, by operation", Histogram.LATENCY_SECONDS, "op");
  public static final Counter SAMPLES_REFUSED = REGISTRY.counter("berth_metrics_samples_refused_total",
      "Samples of new containers not kept because the history holds its most containers already");

  private BerthMetrics() {}

  /** Records one scheduler call: its outcome per request and its duration. */
  public static void planned(String source, Plan plan, long nanos) {
    if (!plan.placed().isEmpty()) PLACEMENTS.add(plan.placed().size(), source, "placed");
    if (!plan.unplaced().isEmpty()) PLACEMENTS.add(plan.unplaced().size(), source, "unplaced");
    PLACEMENT_DURATION.observe(nanos / 1e9, source);
  }

  /** Records one API call. */
  public static void answered(String method, String route, int status, long nanos) {
    API_REQUESTS.inc(method, route, Integer.toString(status));
    API_DURATION.observe(nanos / 1e9, method, route);
  }

  /** Records one convergence pass. */
  public static void converged(boolean ok, long nanos) {
    CONVERGENCE_PASSES.inc(ok ? "ok" : "failed");
    CONVERGENCE_DURATION.observe(nanos / 1e9);
  }
}

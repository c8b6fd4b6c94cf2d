package io.berth.manager.metrics;

import io.berth.core.app.AppLrps;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.PrometheusText;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.node.NodeRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one manager knows of its cluster, read at scrape time: nodes by state, LRP instances by
 * domain and state (an app's instances are domain {@code apps}), and every running container's
 * newest sample with its app, version, instance, node and container labels, the nodes' totals, and
 * each app's traffic numbers from the routers.
 */
final class ManagerCollectors {
  static final List<String> CONTAINER_LABELS = List.of("app", "version", "instance", "node", "container", "name");
  private final NodeRegistry nodes;
  private final Supplier<List<ActualLrp>> actuals;
  private final MetricsHistory history;
  private final LongSupplier clock;
  private RouterTraffic traffic = new RouterTraffic(Duration.ofMinutes(1));

  ManagerCollectors(NodeRegistry nodes, Supplier<List<ActualLrp>> actuals, MetricsHistory history, LongSupplier clock) {
    this.nodes = nodes;
    this.actuals = actuals;
    this.history = history;
    this.clock = clock;
  }

  /** Adds the apps' traffic numbers from the routers ({@code berth_app_…}) to the scrape. */
  ManagerCollectors traffic(RouterTraffic traffic) {
    this.traffic = traffic;
    return this;
  }

  void collect(PrometheusText out) {
    Map<NodeState, Integer> byState = new EnumMap<>(NodeState.class);
    for (NodeState s : NodeState.values()) byState.put(s, 0);
    for (Node n : nodes.list()) byState.merge(n.state(), 1, Integer::sum);
    out.family("berth_nodes", "gauge", "Nodes known to the cluster, by state");
    for (Map.Entry<NodeState, Integer> e : byState.entrySet()) out.sample("berth_nodes", List.of("state"), List.of(e.getKey().word()), e.getValue());

    Map<String, Integer> instances = new TreeMap<>();
    for (ActualState s : ActualState.values()) instances.put("apps\u0000" + s, 0);
    for (ActualLrp a : actuals.get()) instances.merge(a.domain() + "\u0000" + a.state(), 1, Integer::sum);
    out.family("berth_instances", "gauge", "LRP instances (an app's are domain apps), by domain and state");
    for (Map.Entry<String, Integer> e : instances.entrySet()) {
      String[] k = e.getKey().split("\u0000", 2);
      out.sample("berth_instances", List.of("domain", "state"), List.of(k[0], k[1]), e.getValue());
    }

    appInstances(out);
    long now = clock.getAsLong();
    List<MetricsHistory.Current> current = history.current(now);
    for (Metric m : Metric.ALL) {
      String name = "berth_container_" + m.key();
      out.family(name, "gauge", m.help());
      for (MetricsHistory.Current c : current) {
        float v = c.values()[m.ordinal()];
        if (Float.isNaN(v)) continue;
        MetricsHistory.Instance i = c.instance();
        out.sample(name, CONTAINER_LABELS, List.of(nz(i.app()), i.version() == null ? "" : i.version().toString(), nz(i.instance()),
            i.node(), i.container(), i.name()), v);
      }
    }
    Map<String, float[]> totals = history.currentNodes(now);
    for (Metric m : Metric.ALL) {
      String name = "berth_node_" + m.key();
      out.family(name, "gauge", m.help() + ", summed over the node's containers");
      for (Map.Entry<String, float[]> e : totals.entrySet()) {
        float v = e.getValue()[m.ordinal()];
        if (!Float.isNaN(v)) out.sample(name, List.of("node"), List.of(e.getKey()), v);
      }
    }
    collectTraffic(out, now);
  }

  /** Each app's latest numbers from the routers that reported within 30 s: the same numbers alerts and autoscaling read. */
  private void collectTraffic(PrometheusText out, long now) {
    Map<String, TrafficNumbers.Traffic> apps = traffic.current(now);
    out.family("berth_app_requests_per_second", "gauge", "Requests per second nginx answered for the app, summed over routers");
    apps.forEach((app, t) -> out.sample("berth_app_requests_per_second", List.of("app"), List.of(app), t.requestsPerSecond()));
    out.family("berth_app_errors_5xx_percent", "gauge", "Share of the app's requests answered 5xx, in percent");
    apps.forEach((app, t) -> out.sample("berth_app_errors_5xx_percent", List.of("app"), List.of(app), t.errors5xxPercent()));
    out.family("berth_app_latency_p99_seconds", "gauge", "99th percentile of the app's request time at nginx, over all routers");
    apps.forEach((app, t) -> out.sample("berth_app_latency_p99_seconds", List.of("app"), List.of(app), t.latencyP99Millis() / 1000));
  }

  /** An app's instances by state (its LRPs are {@code APP-vN} in domain apps), for alert rules rendered for Prometheus. */
  private void appInstances(PrometheusText out) {
    Map<String, Integer> byApp = new TreeMap<>();
    for (ActualLrp a : actuals.get()) {
      if (!a.domain().equals(AppLrps.APPS)) continue;
      String guid = a.processGuid().value();
      int v = guid.lastIndexOf("-v");
      byApp.merge((v < 0 ? guid : guid.substring(0, v)) + "\u0000" + a.state(), 1, Integer::sum);
    }
    out.family("berth_app_instances", "gauge", "An app's instances (every version), by state");
    for (Map.Entry<String, Integer> e : byApp.entrySet()) {
      String[] k = e.getKey().split("\u0000", 2);
      out.sample("berth_app_instances", List.of("app", "state"), List.of(k[0], k[1]), e.getValue());
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

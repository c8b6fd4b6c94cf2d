package io.berth.manager.metrics;

import io.berth.core.app.AppLrps;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.PrometheusText;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.node.NodeRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one manager knows of its cluster, read at scrape time: nodes by state, LRP instances by
 * domain and state (an app's instances are domain {@code apps}), and every running container's
 * newest sample with its app, version, instance, node and container labels, and the nodes' totals.
 */
final class ManagerCollectors {
  static final List<String> CONTAINER_LABELS = List.of("app", "version", "instance", "node", "container", "name");
  private final NodeRegistry nodes;
  private final Supplier<List<ActualLrp>> actuals;
  private final MetricsHistory history;
  private final LongSupplier clock;

  ManagerCollectors(NodeRegistry nodes, Supplier<List<ActualLrp>> actuals, MetricsHistory history, LongSupplier clock) {
    this.nodes = nodes;
    this.actuals = actuals;
    this.history = history;
    this.clock = clock;
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

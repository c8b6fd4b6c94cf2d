package io.berth.agent.metrics;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.metrics.ContainerLabels;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.MetricRegistry;
import io.berth.core.metrics.PrometheusText;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's container metrics for its own {@code /metrics}: the newest sample of each container
 * on this node as {@code berth_container_*} gauges labelled app, version, instance, node,
 * container and name (the same names and labels as the manager's), and the node's totals.
 */
public final class AgentMetrics {
  static final List<String> LABELS = List.of("app", "version", "instance", "node", "container", "name");

  private AgentMetrics() {}

  /** Adds the collector of {@code last}'s containers, on node {@code node}, to {@code registry}. */
  public static void register(MetricRegistry registry, Supplier<String> node, Supplier<Optional<MetricsBatch>> last) {
    registry.collector(out -> last.get().ifPresent(b -> write(out, node.get(), b)));
  }

  static void write(PrometheusText out, String node, MetricsBatch b) {
    for (Metric m : Metric.ALL) {
      String name = "berth_container_" + m.key();
      out.family(name, "gauge", m.help());
      for (MetricsBatch.Container c : b.containers()) {
        Double v = value(c.values(), m);
        if (v == null) continue;
        ContainerLabels l = ContainerLabels.of(c.labels());
        out.sample(name, LABELS, List.of(l.app(), l.version() < 0 ? "" : Integer.toString(l.version()), l.instance(), node, c.id(),
            c.name()), v);
      }
    }
    for (Metric m : Metric.ALL) {
      Double v = value(b.node(), m);
      if (v == null) continue;
      String name = "berth_node_" + m.key();
      out.family(name, "gauge", m.help() + ", summed over the node's containers").sample(name, List.of("node"), List.of(node), v);
    }
    out.family("berth_node_containers", "gauge", "Containers running on the node")
        .sample("berth_node_containers", List.of("node"), List.of(node), b.containers().size());
  }

  /** The value of {@code m} in a sample. */
  public static Double value(MetricsBatch.Values v, Metric m) {
    return switch (m) {
      case CPU_PERCENT -> v.cpuPercent();
      case MEMORY_BYTES -> v.memoryBytes();
      case MEMORY_LIMIT_BYTES -> v.memoryLimitBytes();
      case NET_RX_BYTES_PER_SECOND -> v.netRxBytesPerSecond();
      case NET_TX_BYTES_PER_SECOND -> v.netTxBytesPerSecond();
      case BLOCK_READ_BYTES_PER_SECOND -> v.blockReadBytesPerSecond();
      case BLOCK_WRITE_BYTES_PER_SECOND -> v.blockWriteBytesPerSecond();
      case PIDS -> v.pids();
    };
  }
}

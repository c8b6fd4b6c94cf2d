package io.berth.cluster.wire;

import java.util.List;
import java.util.Map;

/**
 * What an agent sends the manager every metrics interval ({@code POST /v1/cluster/metrics}): one
 * sample of each running container and the node's totals. Rates are per second over the interval
 * before; a value is null when the agent has none yet (a rate needs two readings).
 *
 * @param at when the agent sampled, epoch milliseconds
 * @param intervalSeconds the agent's {@code --metrics-interval}
 * @param cpus the node's cores; {@code memoryBytes} its memory
 */
public record MetricsBatch(long at, int intervalSeconds, int cpus, long memoryBytes, Values node, List<Container> containers) {
  public MetricsBatch {
    containers = containers == null ? List.of() : List.copyOf(containers);
    if (node == null) node = Values.NONE;
  }

  /** One container's sample; {@code labels} are its {@code io.berth.*} labels only. */
  public record Container(String id, String name, Map<String, String> labels, Values values) {
    public Container {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      if (values == null) values = Values.NONE;
    }
  }

  /** The sampled numbers, named as in the API's series. */
  public record Values(Double cpuPercent, Double memoryBytes, Double memoryLimitBytes, Double netRxBytesPerSecond,
                       Double netTxBytesPerSecond, Double blockReadBytesPerSecond, Double blockWriteBytesPerSecond, Double pids) {
    public static final Values NONE = new Values(null, null, null, null, null, null, null, null);
  }
}

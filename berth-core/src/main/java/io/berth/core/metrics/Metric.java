package io.berth.core.metrics;

import java.util.List;

/**
 * The numbers sampled for each container (and summed for an app or a node), in one fixed order:
 * the order of the columns in a {@link SeriesRing}, of the arrays in the API's {@code series}, and
 * the suffix of the Prometheus name ({@code berth_container_cpu_percent}).
 */
public enum Metric {
  CPU_PERCENT("cpu_percent", "CPU used, in percent of one core (200 is two cores busy)"),
  MEMORY_BYTES("memory_bytes", "Memory used, without the page cache, in bytes"),
  MEMORY_LIMIT_BYTES("memory_limit_bytes", "Memory limit, in bytes (the host's memory when the container has none)"),
  NET_RX_BYTES_PER_SECOND("net_rx_bytes_per_second", "Network bytes received per second, over the last interval"),
  NET_TX_BYTES_PER_SECOND("net_tx_bytes_per_second", "Network bytes sent per second, over the last interval"),
  BLOCK_READ_BYTES_PER_SECOND("block_read_bytes_per_second", "Block device bytes read per second, over the last interval"),
  BLOCK_WRITE_BYTES_PER_SECOND("block_write_bytes_per_second", "Block device bytes written per second, over the last interval"),
  PIDS("pids", "Processes and threads running");

  /** Every metric, in column order. */
  public static final List<Metric> ALL = List.of(values());
  /** How many columns a sample has. */
  public static final int COUNT = ALL.size();

  private final String key;
  private final String help;

  Metric(String key, String help) {
    this.key = key;
    this.help = help;
  }

  /** The snake_case name in JSON and the suffix of the Prometheus name. */
  public String key() {
    return key;
  }

  public String help() {
    return help;
  }
}

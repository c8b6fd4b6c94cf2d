package io.berth.agent.metrics;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.engine.ContainerStats;

/**
 * Turns two readings of a container's counters into the values a sample carries. CPU percent is
 * Docker's formula ({@code Δcpu / Δsystem × cores × 100}, so 100 is one core busy) when the engine
 * gives the host's CPU time, else {@code Δcpu / Δwall × 100}; byte counters become per-second
 * rates over the wall time between the readings. Without a previous reading (or after a counter
 * went backwards: a restarted container) the rates are null and the gauges are still given.
 */
final class ContainerRates {
  private ContainerRates() {}

  static MetricsBatch.Values values(ContainerStats prev, ContainerStats now) {
    Double memory = (double) now.memoryBytes();
    Double limit = now.memoryLimitBytes() > 0 ? (double) now.memoryLimitBytes() : null;
    Double pids = (double) now.pids();
    long wall = prev == null ? 0 : now.readNanos() - prev.readNanos();
    if (prev == null || wall <= 0 || now.cpuNanos() < prev.cpuNanos()) {
      return new MetricsBatch.Values(null, memory, limit, null, null, null, null, pids);
    }
    double seconds = wall / 1e9;
    long dCpu = now.cpuNanos() - prev.cpuNanos();
    long dSystem = now.systemCpuNanos() - prev.systemCpuNanos();
    double cpu = now.systemCpuNanos() > 0 && prev.systemCpuNanos() > 0 && dSystem > 0
        ? (double) dCpu / dSystem * Math.max(1, now.onlineCpus()) * 100.0
        : dCpu / (double) wall * 100.0;
    return new MetricsBatch.Values(cpu, memory, limit, rate(prev.netRxBytes(), now.netRxBytes(), seconds),
        rate(prev.netTxBytes(), now.netTxBytes(), seconds), rate(prev.blockReadBytes(), now.blockReadBytes(), seconds),
        rate(prev.blockWriteBytes(), now.blockWriteBytes(), seconds), pids);
  }

  private static Double rate(long before, long after, double seconds) {
    return after < before ? null : (after - before) / seconds;
  }

  /** The node's totals: each value summed over the containers that have it (null when none has). */
  static MetricsBatch.Values sum(Iterable<MetricsBatch.Values> all) {
    double[] s = new double[8];
    boolean[] any = new boolean[8];
    for (MetricsBatch.Values v : all) {
      Double[] each = {v.cpuPercent(), v.memoryBytes(), v.memoryLimitBytes(), v.netRxBytesPerSecond(), v.netTxBytesPerSecond(),
          v.blockReadBytesPerSecond(), v.blockWriteBytesPerSecond(), v.pids()};
      for (int i = 0; i < 8; i++) {
        if (each[i] == null) continue;
        s[i] += each[i];
        any[i] = true;
      }
    }
    Double[] o = new Double[8];
    for (int i = 0; i < 8; i++) o[i] = any[i] ? s[i] : null;
    return new MetricsBatch.Values(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]);
  }
}

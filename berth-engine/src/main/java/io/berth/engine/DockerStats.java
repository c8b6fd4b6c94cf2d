package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Reads Docker's stats JSON (cgroup v1 and v2) into {@link ContainerStats}. */
final class DockerStats {
  private DockerStats() {}

  static Optional<ContainerStats> parse(JsonNode s) {
    JsonNode cpu = s.path("cpu_stats");
    long cpuNanos = cpu.path("cpu_usage").path("total_usage").asLong(0);
    // A stopped container answers with zeros and no read time worth having.
    String read = s.path("read").asText("");
    if (read.isEmpty() || read.startsWith("0001-")) return Optional.empty();
    Instant at = Instant.parse(read);
    int online = cpu.path("online_cpus").asInt(0);
    if (online == 0) online = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
    JsonNode mem = s.path("memory_stats");
    long usage = mem.path("usage").asLong(0);
    JsonNode ms = mem.path("stats");
    // docker stats: usage minus the page cache — total_inactive_file (v1) or inactive_file (v2), else cache.
    long cache = ms.has("total_inactive_file") ? ms.path("total_inactive_file").asLong(0)
        : ms.has("inactive_file") ? ms.path("inactive_file").asLong(0) : ms.path("cache").asLong(0);
    long rx = 0;
    long tx = 0;
    for (JsonNode n : s.path("networks")) {
      rx += n.path("rx_bytes").asLong(0);
      tx += n.path("tx_bytes").asLong(0);
    }
    long blockRead = 0;
    long blockWrite = 0;
    for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
      String op = e.path("op").asText("").toLowerCase(Locale.ROOT);
      if (op.equals("read")) blockRead += e.path("value").asLong(0);
      if (op.equals("write")) blockWrite += e.path("value").asLong(0);
    }
    return Optional.of(new ContainerStats(at.getEpochSecond() * 1_000_000_000L + at.getNano(), cpuNanos,
        cpu.path("system_cpu_usage").asLong(0), online, Math.max(0, usage - cache), mem.path("limit").asLong(0), rx, tx,
        blockRead, blockWrite, s.path("pids_stats").path("current").asLong(0)));
  }
}

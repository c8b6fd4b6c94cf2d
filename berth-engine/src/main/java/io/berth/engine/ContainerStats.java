package io.berth.engine;

/**
 * One reading of a container's counters, as the engine's one-shot stats give them
 * ({@code GET /containers/{id}/stats?stream=false&one-shot=true}): rates come from two readings.
 *
 * @param readNanos when the engine read them, epoch nanoseconds
 * @param cpuNanos CPU time the container used since it started
 * @param systemCpuNanos the host's CPU time (all cores) at the reading, 0 when the engine gives none
 * @param onlineCpus the cores the container may use
 * @param memoryBytes memory in use without the page cache (as {@code docker stats} shows it)
 * @param memoryLimitBytes the limit, or the host's memory when there is none
 * @param netRxBytes bytes received over all interfaces since the start
 * @param blockReadBytes bytes read from block devices since the start
 */
public record ContainerStats(long readNanos, long cpuNanos, long systemCpuNanos, int onlineCpus, long memoryBytes,
                             long memoryLimitBytes, long netRxBytes, long netTxBytes, long blockReadBytes,
                             long blockWriteBytes, long pids) {}

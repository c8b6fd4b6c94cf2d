package io.berth.bench;

import io.berth.store.StateStore;
import io.berth.store.Watch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * Measures a store: sequential revision-bumping puts per second, compare-and-puts per second,
 * and watch delivery latency (from just before a put to the watcher receiving its event).
 */
public final class StoreBenchmark {

  /** What one run measured. */
  public record Result(int n, double putsPerSecond, double compareAndPutsPerSecond,
                       double watchMedianMicros, double watchP99Micros) {

    /** One line per metric, for people and for grep. */
    public String format() {
      return String.format("store-bench puts/s=%.0f (n=%d)%nstore-bench cas/s=%.0f (n=%d)%n"
              + "store-bench watch-latency-median-us=%.0f%nstore-bench watch-latency-p99-us=%.0f",
          putsPerSecond, n, compareAndPutsPerSecond, n, watchMedianMicros, watchP99Micros);
    }
  }

  /** Runs {@code n} puts, {@code n} compare-and-puts and up to {@code n} watched puts, each sequentially. */
  public Result run(StateStore store, int n) {
    String prefix = "/bench/" + System.nanoTime() + "/";
    byte[] value = "{\"state\":\"RUNNING\",\"node\":\"n1\",\"index\":0}".getBytes(StandardCharsets.UTF_8);

    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      store.put(prefix + "put/" + (i % 1000), value);
    }
    double puts = n / seconds(start);

    String key = prefix + "cas";
    long rev = store.put(key, value);
    start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      rev = store.compareAndPut(key, value, rev, StateStore.Lease.NONE)
          .orElseThrow(() -> new IllegalStateException("compare-and-put lost to nobody"));
    }
    double cas = n / seconds(start);

    long[] latencies = watchLatencies(store, prefix + "watch/", Math.min(n, 2_000), value);
    Arrays.sort(latencies);
    return new Result(n, puts, cas, latencies[latencies.length / 2] / 1_000.0,
        latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1_000.0);
  }

  @SuppressWarnings("try")
  private static long[] watchLatencies(StateStore store, String prefix, int samples, byte[] value) {
    SynchronousQueue<Long> received = new SynchronousQueue<>();
    long[] latencies = new long[samples];
    try (Watch w = store.watch(prefix, 0, e -> {
      try {
        received.put(System.nanoTime());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    })) {
      for (int i = 0; i < samples; i++) {
        long before = System.nanoTime();
        store.put(prefix + (i % 100), value);
        Long at = received.poll(5, TimeUnit.SECONDS);
        if (at == null) {
          throw new IllegalStateException("watch event " + i + " did not arrive within 5 s");
        }
        latencies[i] = at - before;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return latencies;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

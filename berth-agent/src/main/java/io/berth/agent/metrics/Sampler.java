package io.berth.agent.metrics;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.metrics.ContainerLabels;
import io.berth.core.metrics.Counter;
import io.berth.core.metrics.Histogram;
import io.berth.core.metrics.MetricRegistry;
import io.berth.engine.ContainerEngine;
import io.berth.engine.ContainerStats;
import io.berth.engine.ContainerSummary;
import io.berth.engine.EngineInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every running container of the engine each interval (cAdvisor's job, without a second
 * agent): one-shot stats per container, a few at a time, rates from the reading before, and one
 * {@link MetricsBatch} handed to {@code send} (the manager). The newest batch stays for the
 * agent's own {@code /metrics}. A failing engine or manager costs that interval's sample only.
 */
public final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);
  static final int PARALLEL = 8;
  private final ContainerEngine engine;
  private final Duration interval;
  private final Clock clock;
  private final Sender send;
  private final Map<String, ContainerStats> previous = new HashMap<>();
  private final Counter samples;
  private final Counter batches;
  private final Histogram duration;
  private volatile MetricsBatch last;
  private volatile boolean running;
  private Thread loop;
  private EngineInfo info;
  private boolean failing;

  /** Where batches go; an exception is a lost batch, logged once until one gets through. */
  @FunctionalInterface
  public interface Sender {
    void send(MetricsBatch batch) throws Exception;
  }

  public Sampler(ContainerEngine engine, Duration interval, Clock clock, MetricRegistry metrics, Sender send) {
    if (interval.toMillis() < 1000) throw new IllegalArgumentException("the metrics interval must be at least 1s: " + interval);
    this.engine = engine;
    this.interval = interval;
    this.clock = clock;
    this.send = send;
    this.samples = metrics.counter("berth_agent_container_samples_total", "Containers' stats read from the engine, by outcome", "outcome");
    this.batches = metrics.counter("berth_agent_metrics_batches_total", "Metrics batches sent to the manager, by outcome", "outcome");
    this.duration = metrics.histogram("berth_agent_sample_duration_seconds", "Time to sample every container of the engine once",
        Histogram.LATENCY_SECONDS);
  }

  public Duration interval() {
    return interval;
  }

  /** The newest batch, if one was taken. */
  public Optional<MetricsBatch> last() {
    return Optional.ofNullable(last);
  }

  public Sampler start() {
    running = true;
    loop = Thread.ofPlatform().daemon().name("agent-metrics").start(this::run);
    return this;
  }

  /**
   * Samples in the middle of each interval slot of epoch time ({@code k·interval + interval/2}), so
   * the manager, which files samples by slot, files each in its own even when a batch is a little
   * late, and the nodes' samples line up for an app's sums.
   */
  private void run() {
    while (running) {
      try {
        Thread.sleep(untilNextSlot(clock.millis(), interval.toMillis()));
      } catch (InterruptedException e) {
        return;
      }
      try {
        MetricsBatch b = sample();
        last = b;
        deliver(b);
      } catch (RuntimeException e) {
        if (!failing) log.warn("metrics-sample-failed: {} (retrying every {} s)", e.getMessage(), interval.toSeconds());
        failing = true;
      }
    }
  }

  /** Milliseconds from {@code now} to the middle of the next slot (never 0: a fast sample does not run twice in one slot). */
  static long untilNextSlot(long now, long interval) {
    long mid = Math.floorDiv(now, interval) * interval + interval / 2;
    return mid > now ? mid - now : mid + interval - now;
  }

  private void deliver(MetricsBatch b) {
    try {
      send.send(b);
      batches.inc("sent");
      if (failing) log.info("metrics-sending-again containers={}", b.containers().size());
      failing = false;
    } catch (Exception e) {
      if (!running) return; // closing: the send was interrupted
      batches.inc("failed");
      if (!failing) log.warn("metrics-send-failed: {} (containers keep running; retrying each interval)", e.getMessage());
      failing = true;
    }
  }

  /** One pass over the running containers: the batch to send (one pass at a time: the loop, or a test). */
  public synchronized MetricsBatch sample() {
    long t0 = System.nanoTime();
    if (info == null) info = engine.info();
    long at = clock.millis();
    List<ContainerSummary> running = engine.listContainers(false, Map.of());
    List<MetricsBatch.Container> out = new ArrayList<>(running.size());
    Map<String, ContainerStats> seen = new HashMap<>();
    Semaphore permits = new Semaphore(PARALLEL);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Optional<ContainerStats>>> reads = new ArrayList<>(running.size());
      for (ContainerSummary c : running) {
        reads.add(pool.submit(() -> {
          permits.acquire();
          try {
            return engine.stats(c.id());
          } finally {
            permits.release();
          }
        }));
      }
      for (int i = 0; i < running.size(); i++) {
        ContainerSummary c = running.get(i);
        Optional<ContainerStats> s;
        try {
          s = reads.get(i).get();
        } catch (Exception e) {
          samples.inc("failed");
          log.debug("metrics-stats-failed id={}: {}", c.id(), e.toString());
          continue;
        }
        if (s.isEmpty()) {
          samples.inc("gone");
          continue;
        }
        samples.inc("ok");
        seen.put(c.id(), s.get());
        String name = c.names().isEmpty() ? c.id() : c.names().get(0).replaceFirst("^/", "");
        out.add(new MetricsBatch.Container(c.id(), name, ContainerLabels.berthOnly(c.labels()),
            ContainerRates.values(previous.get(c.id()), s.get())));
      }
    }
    previous.clear(); // only the containers still running: a gone container's reading goes with it
    previous.putAll(seen);
    duration.observe((System.nanoTime() - t0) / 1e9);
    return new MetricsBatch(at, (int) interval.toSeconds(), info.cpus(), info.memoryBytes(),
        ContainerRates.sum(out.stream().map(MetricsBatch.Container::values).toList()), out);
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) loop.interrupt();
  }
}

package io.berth.manager.capacity;

import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.metrics.CapacityForecast;
import io.berth.manager.metrics.MetricsHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capacity forecast on every manager: a loop samples the nodes' reservations every
 * {@link #SAMPLE_EVERY} into memory, and {@code GET /v1/nodes/forecast} fits the trends when asked.
 */
public final class Capacity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Capacity.class);
  /** How often reservations are sampled: 120 samples in the default hour of retention. */
  static final Duration SAMPLE_EVERY = Duration.ofSeconds(30);
  private final Forecasts forecasts;
  private final ReconcileLoop loop;

  private Capacity(Forecasts forecasts, ReconcileLoop loop) {
    this.forecasts = forecasts;
    this.loop = loop;
  }

  /** Starts sampling {@code nodes}' reservations; used memory and CPU come from {@code history}'s node series. */
  public static Capacity start(Supplier<List<NodeView>> nodes, MetricsHistory history, Clock clock) {
    int size = (int) Math.max(10, history.retention().toMillis() / SAMPLE_EVERY.toMillis() + 1);
    Forecasts f = new Forecasts(nodes, history, new ReservationRing(size), clock);
    ReconcileLoop loop = ReconcileLoop.named("capacity-sampler").every(SAMPLE_EVERY)
        .onFailure(e -> log.warn("capacity-sample-failed {}", e.toString())).build(f::sample);
    loop.signal();
    loop.start();
    return new Capacity(f, loop);
  }

  /** What {@code GET /v1/nodes/forecast} answers. */
  public Object view() {
    return forecasts.view();
  }

  /** {@code cluster_memory_full_in} for alert rules. */
  public CapacityForecast forecast() {
    return forecasts;
  }

  @Override
  public void close() {
    loop.stop();
  }
}

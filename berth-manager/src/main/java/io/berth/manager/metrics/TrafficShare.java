package io.berth.manager.metrics;

import io.berth.cluster.Json;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.TrafficReport;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares routers' windows among the managers on one store: the manager a router reports to writes
 * the window at {@code /berth/traffic/{group}/{id}} on a lease of {@value #TTL_SECONDS} s renewed by
 * each report, and every manager reads them all every {@link #EVERY} into its {@link RouterTraffic},
 * which takes each window once. So the leader's alerts and autoscaling count the routers connected
 * to any manager; only each router's last window is in the store, never the history.
 */
final class TrafficShare implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficShare.class);
  static final String PREFIX = "/berth/traffic/";
  static final long TTL_SECONDS = RouterTraffic.FRESH_MILLIS / 1000;
  static final Duration EVERY = Duration.ofSeconds(5);
  private static final int MAX = 10_000;
  private final StateStore store;
  private final RouterTraffic traffic;
  private final Function<String, Map<String, String>> appsByDomain;
  private final LongSupplier clock;
  private final Map<String, Long> leases = new ConcurrentHashMap<>();
  private final ReconcileLoop loop;
  private boolean failing; // the loop's own

  TrafficShare(StateStore store, RouterTraffic traffic, Function<String, Map<String, String>> appsByDomain, LongSupplier clock) {
    this.store = store;
    this.traffic = traffic;
    this.appsByDomain = appsByDomain;
    this.clock = clock;
    this.loop = ReconcileLoop.named("traffic-share").every(EVERY).build(this::pass);
  }

  TrafficShare start() {
    loop.start();
    return this;
  }

  /** Writes a window this manager took, for the others. */
  void publish(TrafficReport r) {
    String key = PREFIX + r.group() + "/" + r.id();
    Long lease = leases.get(key);
    if (lease == null || !store.keepAlive(lease)) {
      lease = store.grantLease(Duration.ofSeconds(TTL_SECONDS));
      leases.put(key, lease);
    }
    store.put(key, Json.bytes(r), lease);
  }

  /** Takes every router's window in the store that this manager has not taken yet. */
  void pass() {
    try {
      Map<String, Map<String, String>> routes = new HashMap<>(); // one read of a group's route table per pass
      for (KeyValue kv : store.range(PREFIX, MAX).items()) {
        TrafficReport r = Json.read(kv.value(), TrafficReport.class);
        traffic.accept(r, routes.computeIfAbsent(r.group(), appsByDomain), clock.getAsLong());
      }
      if (failing) log.info("traffic-share-back");
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) log.warn("traffic-share-failed: {} (retrying every {}s)", e.getMessage(), EVERY.toSeconds());
      failing = true;
    }
  }

  @Override
  public void close() {
    loop.stop();
  }
}

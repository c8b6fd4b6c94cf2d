package io.berth.manager.metrics;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.Durations;
import io.berth.core.metrics.ContainerLabels;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.SeriesRing;
import io.berth.core.metrics.SeriesWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's memory of the agents' samples: one {@link SeriesRing} per container and one per
 * node (their totals), each holding {@code retention / interval} slots at the agent's interval
 * (at most {@value #MAX_SLOTS}). An app's series is summed from its instances' rings when asked,
 * aligned to the slots, so it needs no memory of its own. Memory is bounded by the containers seen
 * in the last retention (a container not sampled for longer is dropped, and so is a node), and at
 * most {@value #MAX_CONTAINERS} containers are kept whatever agents send.
 *
 * <p>Times are the agents' sampling times (they sample mid-slot, so a late batch still lands in
 * its slot); one further from the manager's clock than the retention is taken as now.
 */
public final class MetricsHistory {
  /** A day at 10 s: past that, a longer retention needs a longer interval. */
  public static final int MAX_SLOTS = 8640;
  /** At most this many containers are kept (~13 KB each for 1 h at 10 s: ~260 MB); past it new ones are not, until some are dropped. */
  public static final int MAX_CONTAINERS = 20_000;
  private static final Logger log = LoggerFactory.getLogger(MetricsHistory.class);
  private final Duration retention;
  private final int maxContainers;
  private boolean full;
  private final Map<String, Tracked> containers = new HashMap<>();
  private final Map<String, NodeTrack> nodes = new HashMap<>();
  private long lastPrune;

  public MetricsHistory(Duration retention) {
    this(retention, MAX_CONTAINERS);
  }

  public MetricsHistory(Duration retention, int maxContainers) {
    if (retention.toMinutes() < 1) throw new IllegalArgumentException("the metrics retention must be at least 1m: " + retention);
    this.retention = retention;
    this.maxContainers = maxContainers;
  }

  public Duration retention() {
    return retention;
  }

  /** A container as last sampled. */
  static final class Tracked {
    final String id;
    String name;
    String node;
    ContainerLabels labels;
    SeriesRing ring;
    long lastSeen;
    final float[] last = new float[Metric.COUNT];

    Tracked(String id) {
      this.id = id;
    }
  }

  /** A node's totals and facts. */
  static final class NodeTrack {
    SeriesRing ring;
    int cpus;
    long memoryBytes;
    int containers;
    long lastSeen;
    final float[] last = new float[Metric.COUNT];
  }

  /** Takes a batch from node {@code node}'s agent, received at {@code nowMillis}. */
  public synchronized void accept(String node, MetricsBatch b, long nowMillis) {
    long at = Math.abs(b.at() - nowMillis) > retention.toMillis() ? nowMillis : b.at();
    long interval = Math.max(1, b.intervalSeconds()) * 1000L;
    if (nowMillis - lastPrune > interval) prune(nowMillis); // first, so what is gone makes room
    float[] sample = new float[Metric.COUNT];
    for (MetricsBatch.Container c : b.containers()) {
      if (c.id() == null || c.id().isEmpty()) continue;
      Tracked t = containers.get(c.id());
      if (t == null) {
        if (containers.size() >= maxContainers) {
          BerthMetrics.SAMPLES_REFUSED.inc();
          if (!full) log.warn("metrics-history-full containers={}: samples of new containers are not kept until some are gone for {}",
              containers.size(), Durations.words(retention));
          full = true;
          continue;
        }
        t = new Tracked(c.id());
        containers.put(c.id(), t);
      }
      t.name = c.name() == null ? c.id() : c.name();
      t.node = node;
      t.labels = ContainerLabels.of(c.labels());
      t.ring = ringFor(t.ring, interval, at);
      fill(c.values(), sample);
      t.ring.put(at, sample);
      System.arraycopy(sample, 0, t.last, 0, Metric.COUNT);
      t.lastSeen = Math.max(t.lastSeen, at);
    }
    NodeTrack n = nodes.computeIfAbsent(node, k -> new NodeTrack());
    n.ring = ringFor(n.ring, interval, at);
    fill(b.node(), sample);
    n.ring.put(at, sample);
    System.arraycopy(sample, 0, n.last, 0, Metric.COUNT);
    n.cpus = b.cpus();
    n.memoryBytes = b.memoryBytes();
    n.containers = b.containers().size();
    n.lastSeen = Math.max(n.lastSeen, at);
  }

  private SeriesRing ringFor(SeriesRing ring, long interval, long at) {
    if (ring != null && ring.intervalMillis() == interval) return ring;
    int slots = (int) Math.min(MAX_SLOTS, (retention.toMillis() + interval - 1) / interval + 1);
    return new SeriesRing(interval, slots, at); // a new interval (the agent restarted with another): history starts again
  }

  static void fill(MetricsBatch.Values v, float[] into) {
    Double[] each = {v.cpuPercent(), v.memoryBytes(), v.memoryLimitBytes(), v.netRxBytesPerSecond(), v.netTxBytesPerSecond(),
        v.blockReadBytesPerSecond(), v.blockWriteBytesPerSecond(), v.pids()};
    for (int i = 0; i < Metric.COUNT; i++) into[i] = each[i] == null || each[i].isNaN() ? Float.NaN : each[i].floatValue();
  }

  /** Drops containers and nodes not sampled for longer than the retention. */
  public synchronized void prune(long nowMillis) {
    lastPrune = nowMillis;
    long cutoff = nowMillis - retention.toMillis();
    containers.values().removeIf(t -> t.lastSeen < cutoff);
    if (containers.size() < maxContainers) full = false;
    nodes.values().removeIf(n -> n.lastSeen < cutoff);
  }

  /** What a container is, for the API's {@code instances} and the labels of its Prometheus series. */
  public record Instance(String container, String name, String app, Integer version, Integer index, String instance, String node,
                         String owner) {}

  /** A window's series and who is in it. */
  public record Window(SeriesWindow series, List<Instance> instances) {}

  private static Instance instance(Tracked t) {
    ContainerLabels l = t.labels;
    return new Instance(t.id, t.name, l.isApp() ? l.app() : null, l.version() < 0 ? null : l.version(), l.index() < 0 ? null : l.index(),
        l.instance().isEmpty() ? null : l.instance(), t.node, l.owner().isEmpty() ? null : l.owner());
  }

  /** The container with this id, unique id prefix (4 characters or more) or name, sampled in the last retention. */
  public synchronized Optional<Instance> find(String idOrName) {
    Tracked t = lookup(idOrName);
    return t == null ? Optional.empty() : Optional.of(instance(t));
  }

  private Tracked lookup(String idOrName) {
    Tracked t = containers.get(idOrName);
    if (t != null) return t;
    Tracked found = null;
    for (Tracked c : containers.values()) {
      if (c.name.equals(idOrName) || (idOrName.length() >= 4 && c.id.startsWith(idOrName))) {
        if (found != null) return null; // ambiguous: no answer rather than the wrong one
        found = c;
      }
    }
    return found;
  }

  /** One container's series over {@code (since, now]}. */
  public synchronized Optional<Window> container(String idOrName, long sinceMillis, long nowMillis) {
    Tracked t = lookup(idOrName);
    if (t == null) return Optional.empty();
    SeriesWindow w = new SeriesWindow(t.ring.intervalMillis(), sinceMillis, nowMillis);
    w.add(t.ring);
    return Optional.of(new Window(w, List.of(instance(t))));
  }

  /**
   * An app's series over {@code (since, now]}: per slot, the sum over its instances (every
   * container labelled as the app's, whatever version) sampled in the window; the interval is the
   * newest instance's ({@code defaultInterval} when there is none).
   */
  public synchronized Window app(String app, long sinceMillis, long nowMillis, long defaultIntervalMillis) {
    List<Tracked> mine = new ArrayList<>();
    for (Tracked t : containers.values()) if (t.labels.isApp() && t.labels.app().equals(app) && t.lastSeen > sinceMillis) mine.add(t);
    mine.sort((a, b) -> a.labels.version() != b.labels.version() ? Integer.compare(a.labels.version(), b.labels.version())
        : a.labels.index() != b.labels.index() ? Integer.compare(a.labels.index(), b.labels.index()) : a.id.compareTo(b.id));
    long interval = mine.stream().max((a, b) -> Long.compare(a.lastSeen, b.lastSeen)).map(t -> t.ring.intervalMillis())
        .orElse(defaultIntervalMillis);
    SeriesWindow w = new SeriesWindow(interval, sinceMillis, nowMillis);
    for (Tracked t : mine) w.add(t.ring);
    return new Window(w, mine.stream().map(MetricsHistory::instance).toList());
  }

  /** A node's totals over {@code (since, now]}, and the containers of its newest batch; empty when it never sent one. */
  public synchronized Optional<NodeWindow> node(String name, long sinceMillis, long nowMillis) {
    NodeTrack n = nodes.get(name);
    if (n == null) return Optional.empty();
    SeriesWindow w = new SeriesWindow(n.ring.intervalMillis(), sinceMillis, nowMillis);
    w.add(n.ring);
    List<Instance> on = new ArrayList<>();
    for (Tracked t : containers.values()) if (name.equals(t.node) && t.lastSeen >= n.lastSeen) on.add(instance(t));
    on.sort((a, b) -> a.name().compareTo(b.name()));
    return Optional.of(new NodeWindow(w, on, n.cpus, n.memoryBytes, n.containers));
  }

  /** A node's window, its capacity and how many containers it ran at its newest batch. */
  public record NodeWindow(SeriesWindow series, List<Instance> instances, int cpus, long memoryBytes, int containers) {}

  /** A container's newest sample, for the scrape. */
  public record Current(Instance instance, float[] values) {}

  /** The containers whose newest sample is at most three of their intervals old: those that still run. */
  public synchronized List<Current> current(long nowMillis) {
    List<Current> out = new ArrayList<>();
    for (Tracked t : containers.values()) {
      if (nowMillis - t.lastSeen <= 3 * t.ring.intervalMillis()) out.add(new Current(instance(t), Arrays.copyOf(t.last, Metric.COUNT)));
    }
    out.sort((a, b) -> a.instance().container().compareTo(b.instance().container()));
    return out;
  }

  /** Each node's newest totals, if recent (three intervals). */
  public synchronized Map<String, float[]> currentNodes(long nowMillis) {
    Map<String, float[]> out = new TreeMap<>();
    for (Map.Entry<String, NodeTrack> e : nodes.entrySet()) {
      NodeTrack n = e.getValue();
      if (nowMillis - n.lastSeen <= 3 * n.ring.intervalMillis()) out.put(e.getKey(), Arrays.copyOf(n.last, Metric.COUNT));
    }
    return out;
  }

  /** How many containers are kept. */
  public synchronized int containerCount() {
    return containers.size();
  }
}

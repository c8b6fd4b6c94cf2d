package io.berth.manager.metrics;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.cluster.wire.TrafficReport;
import io.berth.core.Durations;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.metrics.PrometheusText;
import io.berth.core.metrics.SeriesWindow;
import io.berth.core.node.Node;
import io.berth.manager.http.Gzip;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.Deflater;

/**
 * Containers' metrics on the manager: agents' batches in ({@code POST /v1/cluster/metrics}), routers'
 * traffic windows in ({@code POST /v1/routers/{id}/traffic}, administrators: a router's token), the
 * history out ({@code /v1/metrics/apps|nodes|containers/…?since=1h}) and the Prometheus scrape
 * ({@code GET /metrics}, administrators only, as the API's guard has it for any route not open or
 * a user's). Who may read what: an app's series needs READ on the app (an app that does not exist
 * is a 404 to whoever could read it, a 403 to others, as the apps API), a node's any signed-in user,
 * a container's an administrator, a reader of its app or the user who made it — to anyone else it is
 * "no such container", as on the Docker endpoint.
 */
public final class MetricsApi implements AutoCloseable {
  /** The interval an app without samples is shown at. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  private final MetricsHistory history;
  private final NodeRegistry nodes;
  private final Access access;
  private final Predicate<String> appExists;
  private final Clock clock;
  private final ManagerCollectors collectors;
  private final RouterTraffic traffic;
  private volatile Function<String, Map<String, String>> appsByDomain = group -> Map.of();
  private volatile TrafficShare share;

  public MetricsApi(MetricsHistory history, NodeRegistry nodes, Access access, Predicate<String> appExists,
                    Supplier<List<ActualLrp>> actuals, Clock clock) {
    this.history = history;
    this.nodes = nodes;
    this.access = access;
    this.appExists = appExists;
    this.clock = clock;
    this.traffic = new RouterTraffic(history.retention());
    this.collectors = new ManagerCollectors(nodes, actuals, history, clock::millis).traffic(traffic);
  }

  /** The routers' traffic numbers: their reports in, each app's latest numbers and history out. */
  public RouterTraffic traffic() {
    return traffic;
  }

  /**
   * Maps routers' domains to apps through {@code appsByDomain} ({@code group -> domain -> app}: the
   * route table), and shares the routers' windows with the other managers on {@code store}.
   */
  public void shareTraffic(StateStore store, Function<String, Map<String, String>> appsByDomain) {
    this.appsByDomain = appsByDomain;
    this.share = new TrafficShare(store, traffic, appsByDomain, clock::millis).start();
  }

  /** Stops sharing the routers' windows. */
  @Override
  public void close() {
    TrafficShare s = share;
    if (s != null) s.close();
  }

  public MetricsHistory history() {
    return history;
  }

  /** The agents' route, on the cluster endpoint: the node is the certificate's. */
  public void accept(String node, MetricsBatch batch) {
    if (batch.intervalSeconds() < 1) throw new BerthException.Invalid("interval_seconds must be at least 1, got " + batch.intervalSeconds());
    history.accept(node, batch, clock.millis());
  }

  public Routes addApiRoutes(Routes r) {
    return r
        .get("/metrics", req -> {
          // Prometheus asks for gzip: the text of 1,000 containers is ~1.8 MB, mostly repeated label names; the scrape's CPU
          // matters more than the last few KB.
          return Gzip.reply(req, PrometheusText.CONTENT_TYPE, scrape().getBytes(StandardCharsets.UTF_8), Deflater.BEST_SPEED);
        })
        .get("/v1/metrics/apps/{name}", req -> {
          String app = req.param("name");
          access.require(req.principal(), ResourceKind.APP, app, Action.READ);
          Window w = window(req);
          if (!appExists.test(app)) throw new BerthException.NotFound("AppNotFound", "no app named " + app);
          MetricsHistory.Window h = history.app(app, w.since, w.now, DEFAULT_INTERVAL.toMillis());
          return SeriesJson.of(h.series(), Instant.ofEpochMilli(w.since), h.instances(), null, null)
              .with(traffic.columns(app, h.series().times(), h.series().intervalMillis()));
        })
        .post("/v1/routers/{id}/traffic", req -> {
          TrafficReport sent = req.body(TrafficReport.class);
          RouterTraffic.check(sent, req.param("id"));
          long now = clock.millis(); // the window is stamped with this manager's clock: routers' clocks need not agree
          TrafficReport t = new TrafficReport(sent.id(), sent.group(), now, sent.windowMillis(), sent.domains());
          traffic.accept(t, appsByDomain.apply(t.group()), now);
          TrafficShare s = share;
          if (s != null) s.publish(t);
          return null;
        })
        .get("/v1/metrics/nodes/{name}", req -> {
          String name = req.param("name");
          Window w = window(req);
          Optional<Node> node = NodeName.lookup(name).flatMap(nodes::find);
          Optional<MetricsHistory.NodeWindow> h = history.node(name, w.since, w.now);
          if (node.isEmpty() && h.isEmpty()) throw new BerthException.NotFound("NodeNotFound", "no such node: " + name);
          if (h.isEmpty()) {
            SeriesWindow empty = new SeriesWindow(DEFAULT_INTERVAL.toMillis(), w.since, w.now);
            return SeriesJson.of(empty, Instant.ofEpochMilli(w.since), List.of(),
                new SeriesJson.Capacity(node.get().engine().cpus(), node.get().engine().memoryBytes()), 0);
          }
          MetricsHistory.NodeWindow n = h.get();
          return SeriesJson.of(n.series(), Instant.ofEpochMilli(w.since), n.instances(), new SeriesJson.Capacity(n.cpus(), n.memoryBytes()),
              n.containers());
        })
        .get("/v1/metrics/containers/{id}", req -> {
          String id = req.param("id");
          Window w = window(req);
          Optional<MetricsHistory.Instance> found = history.find(id).filter(i -> sees(req.principal(), i));
          if (found.isEmpty()) throw new BerthException.NotFound("ContainerNotFound", "no such container: " + id);
          MetricsHistory.Window h = history.container(found.get().container(), w.since, w.now).orElseThrow(
              () -> new BerthException.NotFound("ContainerNotFound", "no such container: " + id));
          return SeriesJson.of(h.series(), Instant.ofEpochMilli(w.since), h.instances(), null, null);
        });
  }

  /** The Prometheus text: the process's own families, then this manager's view of the cluster. */
  public String scrape() {
    StringBuilder out = new StringBuilder(64 * 1024);
    BerthMetrics.REGISTRY.writeTo(out);
    collectors.collect(new PrometheusText(out));
    return out.toString();
  }

  private boolean sees(Principal p, MetricsHistory.Instance i) {
    if (p.admin()) return true;
    if (i.owner() != null && i.owner().equals(p.user())) return true;
    return i.app() != null && access.allows(p, ResourceKind.APP, i.app(), Action.READ);
  }

  private record Window(long since, long now) {}

  /** {@code since}: how far back, from 1m to the retention (the default). */
  private Window window(Request req) {
    Duration retention = history.retention();
    Duration since = retention;
    Optional<String> q = req.query("since");
    if (q.isPresent()) {
      try {
        since = Durations.parse(q.get());
      } catch (IllegalArgumentException | ArithmeticException e) { // a number of hours too big for a Duration
        throw new BerthException.Invalid("since: invalid duration '" + q.get() + "': use a number and a unit from 1m to "
            + Durations.words(retention) + ", e.g. 15m or 1h");
      }
      if (since.compareTo(Duration.ofMinutes(1)) < 0 || since.compareTo(retention) > 0) {
        throw new BerthException.Invalid("since must be from 1m to the metrics retention (" + Durations.words(retention) + "), got " + q.get());
      }
    }
    long now = clock.millis();
    return new Window(now - since.toMillis(), now);
  }
}

package io.berth.manager.alert;

import io.berth.manager.metrics.CapacityForecast;
import io.berth.core.alert.AlertSink;
import io.berth.core.app.App;
import io.berth.core.app.AppVersion;
import io.berth.manager.app.AppService;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.leader.Singletons;
import io.berth.manager.lrp.LrpService;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The manager's alerts (docs/alerts.md): rules in the store and in manifests, their API, and the
 * leader's evaluation every 10 s, which hands each firing and resolve to an {@link AlertSink}.
 */
public final class Alerts implements AutoCloseable {
  private final AlertEvaluator evaluator;
  private final AlertApi api;

  private Alerts(AlertEvaluator evaluator, AlertApi api) {
    this.evaluator = evaluator;
    this.api = api;
  }

  /**
   * Starts the evaluation: it reads {@code history}'s samples, {@code lrps}' instances, the routers'
   * {@code traffic} and the {@code forecast}, and tells {@code sink}; it passes only while
   * {@code leader}'s gate is open and writes through its fenced store.
   */
  public static Alerts start(StateStore raw, Singletons leader, Clock clock, AppService apps, LrpService lrps, MetricsHistory history,
                             TrafficNumbers traffic, CapacityForecast forecast, AlertSink sink) {
    AlertStore store = new AlertStore(raw);
    RuleBook rules = new RuleBook(store, new RuleBook.AppSource() {
      @Override
      public List<App> list() {
        return apps.list();
      }

      @Override
      public App get(String name) {
        return apps.get(name);
      }

      @Override
      public AppVersion version(String app, int version) {
        return apps.version(app, version);
      }
    });
    AlertEvaluator evaluator = new AlertEvaluator(leader, rules, history, () -> lrps.actuals(Optional.empty()), clock);
    evaluator.wire(traffic, forecast, sink);
    evaluator.start();
    return new Alerts(evaluator, new AlertApi(store, rules, clock));
  }

  /** Who may do what: set before the routes serve. */
  public Alerts guardWith(Access access) {
    api.guardWith(access);
    return this;
  }

  public Routes addApiRoutes(Routes r) {
    api.addRoutes(r);
    return r;
  }

  /** Asks for an evaluation soon (a new leader's first). */
  public void signal() {
    evaluator.signal();
  }

  /** {@code --alert-every} (default 10s): how often the leader evaluates every rule. */
  public Alerts every(Duration d) {
    evaluator.every(d);
    return this;
  }

  /** Runs one evaluation on the caller's thread (tests); returns how many rules changed phase. */
  public int evaluateNow() {
    return evaluator.pass();
  }

  @Override
  public void close() {
    evaluator.close();
  }
}

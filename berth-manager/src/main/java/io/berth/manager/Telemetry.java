package io.berth.manager;

import io.berth.core.error.BerthException;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.activity.Activity;
import io.berth.manager.alert.Alerts;
import io.berth.manager.app.Apps;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Singletons;
import io.berth.manager.lrp.Lrps;
import io.berth.manager.metrics.MetricsApi;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.node.NodeRegistry;
import io.berth.manager.notify.Notifications;
import io.berth.store.StateStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the manager measures and what acts on it: the metrics history and {@code /metrics} with the
 * routers' traffic, autoscaling and the capacity forecast, alert rules and their notifications. Made in
 * two steps: {@link #start} before the Berth API's route table (its node routes read the forecast),
 * {@link #addRoutes} into it, which also starts the notifications and the alert rules that hand them
 * their notices.
 */
final class Telemetry implements AutoCloseable {
  private final ManagerConfig config;
  private final StateStore store;
  private final Singletons leader;
  private final Clock clock;
  private final StoreAccess access;
  private final Apps apps;
  private final Lrps lrps;
  final MetricsApi metrics;
  final Scaling scaling;
  private Notifications notifications;
  private Alerts alerts;

  private Telemetry(ManagerConfig config, StateStore store, Singletons leader, Clock clock, StoreAccess access, Apps apps, Lrps lrps,
                    MetricsApi metrics, Scaling scaling) {
    this.config = config;
    this.store = store;
    this.leader = leader;
    this.clock = clock;
    this.access = access;
    this.apps = apps;
    this.lrps = lrps;
    this.metrics = metrics;
    this.scaling = scaling;
  }

  static Telemetry start(ManagerConfig config, StateStore store, Singletons leader, Clock clock, NodeRegistry nodes, StoreAccess access,
                         Activity activity, Apps apps, Lrps lrps, Supplier<List<NodeView>> nodeViews) {
    MetricsApi metrics = new MetricsApi(new MetricsHistory(config.metricsRetention()), nodes, access,
        name -> appExists(apps, name), () -> lrps.service().actuals(Optional.empty()), clock);
    Scaling scaling = Scaling.start(store, leader, clock, apps, metrics.history(), metrics.traffic(), access, activity, nodeViews);
    return new Telemetry(config, store, leader, clock, access, apps, lrps, metrics, scaling);
  }

  /** Adds the routes of every part; {@code apiUrl} is this manager's API address, for the links in notifications. */
  void addRoutes(Routes api, Supplier<String> apiUrl) {
    metrics.shareTraffic(store, apps::appsByDomain);
    metrics.addApiRoutes(api);
    scaling.autoscaling().addApiRoutes(api);
    notifications = Notifications.create(store, leader, access, config.notifications(), config.name(), clock, apiUrl::get)
        .routes(api).start();
    alerts = Alerts.start(store, leader, clock, apps.service(), lrps.service(), metrics.history(), metrics.traffic(),
        scaling.capacity().forecast(), notifications).guardWith(access);
    alerts.addApiRoutes(api);
  }

  /** What passes at once when this manager is elected. */
  List<Runnable> onElection() {
    return List.of(notifications::signal, alerts::signal, scaling.autoscaling()::signal);
  }

  Alerts alerts() {
    return alerts;
  }

  Notifications notifications() {
    return notifications;
  }

  @Override
  public void close() {
    if (notifications != null) notifications.close();
    metrics.close();
    if (alerts != null) alerts.close();
    scaling.close();
  }

  private static boolean appExists(Apps apps, String name) {
    try {
      apps.service().get(name);
      return true;
    } catch (BerthException.NotFound e) {
      return false;
    }
  }
}

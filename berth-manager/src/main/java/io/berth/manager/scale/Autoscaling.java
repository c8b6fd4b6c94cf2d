package io.berth.manager.scale;

import io.berth.manager.activity.Activity;
import io.berth.manager.app.Apps;
import io.berth.manager.app.AutoscaleHook;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import io.berth.manager.leader.Singletons;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Apps that scale themselves (docs/autoscale.md): the API that turns it on and off, the hook that
 * refuses a manual scale of an autoscaled app, and the leader's loop that scales them.
 */
public final class Autoscaling implements AutoCloseable {
  private final AutoscaleService service;
  private final Autoscaler loop;
  private final Access access;

  private Autoscaling(AutoscaleService service, Autoscaler loop, Access access) {
    this.service = service;
    this.loop = loop;
    this.access = access;
  }

  /**
   * Starts the loop on {@code leader}'s gate, reading loads from {@code history} and
   * {@code traffic}; each scale it makes goes to the app's activity, the cluster's and the audit
   * log (where the operator view counts it).
   */
  public static Autoscaling start(StateStore raw, Singletons leader, Clock clock, Apps apps, MetricsHistory history,
                                  TrafficNumbers traffic, Access access, Activity activity, Consumer<AuditEntry> audit) {
    Autoscaler loop = new Autoscaler(new AutoscaleStore(leader.store()), Scaler.of(apps.leaderService()),
        new MetricsLoads(history, traffic), clock, leader.gate(), null, s -> {
          String what = "autoscaled " + s.from() + " → " + s.to() + ": " + s.reason();
          activity.record("app-autoscaled", "app/" + s.app(), what);
          audit.accept(new AuditEntry(s.at(), "autoscaler", "autoscaler", "", "autoscale", s.app(), 200, "ok"));
        });
    AutoscaleService service = new AutoscaleService(new AutoscaleStore(raw), apps.service(), clock, loop::signal);
    apps.autoscaleWith(service);
    loop.start();
    return new Autoscaling(service, loop, access);
  }

  /** {@code --scale-down-window} (default 5m): how long a lower recommendation must hold before a scale down. */
  public Autoscaling scaleDownWindow(Duration d) {
    loop.window(d);
    return this;
  }

  /** {@code --autoscale-every} (default 15s, HPA's sync period): how often the leader looks at each autoscaled app. */
  public Autoscaling every(Duration d) {
    loop.every(d);
    return this;
  }

  public AutoscaleHook hook() {
    return service;
  }

  /** Asks for a pass at once (a new leader's first). */
  public void signal() {
    loop.signal();
  }

  public Routes addApiRoutes(Routes r) {
    return new AutoscaleApi(service, access).addTo(r);
  }

  @Override
  public void close() {
    loop.close();
  }
}

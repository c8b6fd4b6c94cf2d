package io.berth.manager.scale;

import io.berth.core.app.App;
import io.berth.core.app.Autoscale;
import io.berth.core.app.ManifestRules;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.Problems;
import io.berth.manager.app.AppService;
import io.berth.manager.app.AutoscaleHook;
import io.berth.manager.lrp.Versioned;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turning an app's autoscaling on, changing and off ({@code PUT/DELETE /v1/apps/APP/autoscale},
 * a deploy naming {@code autoscale:}), and the refusal of a manual scale while it is on. Bad input
 * is refused before anything changes.
 */
final class AutoscaleService implements AutoscaleHook {
  private static final Logger log = LoggerFactory.getLogger(AutoscaleService.class);
  private final AutoscaleStore store;
  private final AppService apps;
  private final Clock clock;
  private final Runnable changed;

  AutoscaleService(AutoscaleStore store, AppService apps, Clock clock, Runnable changed) {
    this.store = store;
    this.apps = apps;
    this.clock = clock;
    this.changed = changed;
  }

  /** Sets the app's autoscaling; throws {@code Invalid} naming every problem, or {@code NotFound} for no such app. */
  AutoscaleRecord set(String app, Autoscale a, String user) {
    App found = apps.get(app);
    if (found.removing()) throw new BerthException.Conflict("AppRemoving", app + " is being removed");
    Problems p = new Problems();
    a.check(p, "", ManifestRules.MAX_INSTANCES);
    p.throwIfAny("InvalidAutoscale");
    Optional<Versioned<AutoscaleRecord>> old = store.get(app);
    // A new policy starts a new window: recommendations made for other targets do not hold it back.
    AutoscaleRecord r = new AutoscaleRecord(app, a, user, clock.instant(), List.of());
    if (!store.replace(r, old.map(Versioned::revision).orElse(0L))) {
      throw new BerthException.Conflict("ResourceConflict", "the autoscaling of " + app + " changed while this request ran: try again");
    }
    log.info("autoscale-set app={} min={} max={} cpu={} memory={} requests_per_instance={} user={}", app, a.min(), a.max(), a.cpu(),
        a.memory(), a.requestsPerInstance(), user);
    changed.run();
    return r;
  }

  /** Turns the app's autoscaling off; its instance count stays where it is. */
  void off(String app, String user) {
    apps.get(app);
    if (store.delete(app)) log.info("autoscale-off app={} user={}", app, user);
  }

  Optional<AutoscaleRecord> get(String app) {
    apps.get(app);
    return store.get(app).map(Versioned::value);
  }

  @Override
  public void beforeManualScale(String app, boolean force) {
    Optional<Versioned<AutoscaleRecord>> on = store.get(app);
    if (on.isEmpty() || force) return;
    Autoscale a = on.get().value().autoscale();
    throw new BerthException.Conflict("Autoscaled", app + " is autoscaled between " + a.min() + " and " + a.max()
        + " instances (set by " + on.get().value().setBy() + "): change its bounds with berth app autoscale " + app
        + " --min N --max N, or scale with --force, which turns autoscaling off");
  }

  @Override
  public void forced(String app, String user) {
    off(app, user);
  }

  @Override
  public void deployed(String app, Autoscale autoscale, String user) {
    set(app, autoscale, user);
  }
}

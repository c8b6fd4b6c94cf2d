package io.berth.manager.scale;

import io.berth.cluster.loop.Gate;
import io.berth.cluster.loop.LoopTime;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.app.App;
import io.berth.core.error.BerthException;
import io.berth.core.scale.Hpa;
import io.berth.core.scale.Load;
import io.berth.manager.lrp.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaling loop, a leader-only {@link ReconcileLoop} every {@link #EVERY} (HPA's sync
 * period; {@code --autoscale-every}): for each autoscaled app it reads the load, asks {@link Hpa#decide}, keeps the
 * recommendation history in the app's autoscale record, and scales through the apps' service.
 *
 * <p>Invariants: an app that is rolling out, being removed, or was changed meanwhile is left for
 * the next pass (a scale is itself a rollout, so two scales never overlap); the history is written
 * by compare-and-put before the scale it leads to, so a new leader never forgets a recommendation
 * that was acted on; a pass that fails for one app goes on with the others.
 */
final class Autoscaler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);
  static final Duration EVERY = Duration.ofSeconds(15);
  /** HPA's default {@code --horizontal-pod-autoscaler-downscale-stabilization}. */
  static final Duration WINDOW = Duration.ofMinutes(5);
  private final AutoscaleStore store;
  private final Scaler apps;
  private final LoadSource loads;
  private final Clock clock;
  private final Consumer<Scaled> scaled;
  private volatile Duration window = WINDOW;
  private volatile Duration every = EVERY;
  private final ReconcileLoop loop;

  /** One scale the autoscaler made. */
  record Scaled(Instant at, String app, int from, int to, String reason) {}

  Autoscaler(AutoscaleStore store, Scaler apps, LoadSource loads, Clock clock, Gate gate, LoopTime time, Consumer<Scaled> scaled) {
    this.store = store;
    this.apps = apps;
    this.loads = loads;
    this.clock = clock;
    this.scaled = scaled;
    ReconcileLoop.Builder b = ReconcileLoop.named("autoscaler").every(EVERY).gate(gate)
        .onFailure(e -> log.warn("autoscaler-pass-failed {}", e.toString()));
    this.loop = (time == null ? b : b.time(time)).buildPaced(() -> {
      pass();
      return every;
    });
  }

  void start() {
    loop.start();
  }

  void signal() {
    loop.signal();
  }

  /** {@code --scale-down-window}: how long a lower recommendation must hold before a scale down. */
  void window(Duration d) {
    this.window = d;
  }

  /** {@code --autoscale-every}: the time between passes, from the next pass on (which a signal brings now). */
  void every(Duration d) {
    this.every = d;
    loop.signal();
  }

  /** One pass over every autoscaled app; the scales made. */
  List<Scaled> pass() {
    List<Scaled> out = new ArrayList<>();
    Instant now = clock.instant();
    for (Versioned<AutoscaleRecord> v : store.all()) {
      try {
        step(v, now).ifPresent(out::add);
      } catch (BerthException e) { // busy or gone meanwhile: the next pass looks again
        log.debug("autoscale-skipped app={} {}", v.value().app(), e.getMessage());
      }
    }
    out.forEach(scaled);
    return out;
  }

  private Optional<Scaled> step(Versioned<AutoscaleRecord> v, Instant now) {
    AutoscaleRecord r = v.value();
    Optional<App> found = apps.app(r.app());
    if (found.isEmpty() || found.get().removing() || found.get().rollingOut()) return Optional.empty(); // waits
    App app = found.get();
    Load load = loads.load(app.name(), app.current(), app.instances(), now.toEpochMilli());
    Hpa.Decision d = Hpa.decide(r.autoscale(), app.instances(), load, r.recommendations(), now, window);
    if (!d.history().equals(r.recommendations()) && !store.replace(r.withRecommendations(d.history()), v.revision())) {
      return Optional.empty(); // changed meanwhile (a PUT, off): decide again on what it is now
    }
    if (d.desired() == app.instances()) return Optional.empty();
    apps.scale(app.name(), d.desired(), d.reason());
    log.info("autoscaled app={} from={} to={} reason=\"{}\"", app.name(), app.instances(), d.desired(), d.reason());
    return Optional.of(new Scaled(now, app.name(), app.instances(), d.desired(), d.reason()));
  }

  @Override
  public void close() {
    loop.stop();
  }
}

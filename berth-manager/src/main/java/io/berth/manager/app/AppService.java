package io.berth.manager.app;

import io.berth.cluster.ManifestYaml;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.AppLrps;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.app.ManifestRules;
import io.berth.core.app.Rollout;
import io.berth.core.app.Rollouts;
import io.berth.core.error.BerthException;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.lrp.Versioned;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the apps API does: each request checks everything first, then makes one compare-and-put
 * of the app's record (and, for a deploy, writes the new immutable version before it); the
 * controller does the rest a step at a time. A request refused changes nothing.
 */
public final class AppService {
  private static final Logger log = LoggerFactory.getLogger(AppService.class);
  private final AppStore store;
  private final Clock clock;
  private final Supplier<List<NodeView>> nodes;
  private final boolean knowsImages;
  private volatile Runnable signal = () -> {};

  AppService(AppStore store, Clock clock, Supplier<List<NodeView>> nodes, boolean knowsImages) {
    this.store = store;
    this.clock = clock;
    this.nodes = nodes;
    this.knowsImages = knowsImages;
  }

  void onChange(Runnable s) {
    this.signal = s;
  }

  /** The outcome of a deploy: the app after it, or (dry run) the version it would make. */
  public record Deployed(App app, AppVersion version) {}

  /** Creates the app or a new version of it from manifest text, and starts its rollout. */
  public Deployed deploy(String text, String user, boolean dryRun) {
    AppManifest given = ManifestYaml.read(text);
    if (given.name() == null || given.name().isBlank()) throw new BerthException.Invalid("InvalidManifest", "name: required");
    Optional<Versioned<App>> found = store.app(given.name());
    App app = found.map(Versioned::value).orElse(null);
    if (app != null) refuseWhileBusy(app, "deploy");
    Optional<AppManifest> previous = app == null ? Optional.empty() : store.version(app.name(), app.current()).map(AppVersion::manifest);
    AppManifest m = ManifestRules.resolve(given, previous, Optional.ofNullable(app).map(App::instances));
    checkRoutes(m);
    checkImage(m.image());
    Instant now = clock.instant();
    int n = app == null ? 1 : app.latestVersion() + 1;
    AppVersion v = new AppVersion(m.name(), n, m, user, now, note(given, previous.orElse(null)));
    if (dryRun) return new Deployed(app, v);
    if (!store.createVersion(v)) throw busy(m.name());
    App next = startRollout(app == null ? new App(m.name(), user, now, n, n, m.instances(), List.of(), null, false) : app,
        "deploy", n, m, user, now).withLatest(n);
    if (!store.replace(next, found.map(Versioned::revision).orElse(0L))) {
      store.raw().delete(Keys.appVersion(m.name(), n)); // nothing half-made stays behind
      throw busy(m.name());
    }
    log.info("app-deploy app={} version={} image={} instances={} strategy={} user={}", m.name(), n, m.image(), m.instances(),
        next.rollout().strategy(), user);
    store.record(new AppEvent(now, m.name(), "deploy", user, n, "started", next.rollout().strategy() + " deploy of v" + n
        + " (" + v.note() + "), " + m.instances() + " instances"));
    signal.run();
    return new Deployed(next, v);
  }

  /** Changes the number of instances of the app's current version; the leaving ones stop after they leave the routes. */
  public App scale(String name, int instances, String user) {
    return scale(name, instances, user, "scale", null);
  }

  /** The autoscaler's scale: an ordinary one, recorded in the app's activity as {@code autoscaled 3 → 6: REASON}. */
  public App autoscale(String name, int instances, String reason) {
    return scale(name, instances, "autoscaler", "autoscale", reason);
  }

  private App scale(String name, int instances, String user, String action, String reason) {
    if (instances < 0 || instances > ManifestRules.MAX_INSTANCES) {
      throw new BerthException.Invalid("instances must be from 0 to " + ManifestRules.MAX_INSTANCES + ", got " + instances);
    }
    Versioned<App> found = appOrThrow(name);
    App app = found.value();
    refuseWhileBusy(app, "scale");
    AppManifest m = version(name, app.current()).manifest();
    Instant now = clock.instant();
    Rollout r = new Rollout("scale", AppManifest.Strategy.ROLLING, List.of(), app.current(), instances, Rollout.Phase.PROGRESSING,
        "scaling from " + app.instances() + " to " + instances, 0, 0, user, now, null, now.plus(m.deploy().deadlineDuration()));
    App next = app.withCurrent(app.current(), instances).withRollout(r);
    write(next, found.revision());
    store.record(new AppEvent(now, name, action, user, app.current(), "started", reason == null
        ? "from " + app.instances() + " to " + instances + " instances" : "autoscaled " + app.instances() + " → " + instances + ": " + reason));
    signal.run();
    return next;
  }

  /** Rolls the app back to {@code to}, or to the version before its current one. */
  public App rollback(String name, Optional<Integer> to, String user) {
    Versioned<App> found = appOrThrow(name);
    App app = found.value();
    refuseWhileBusy(app, "roll back");
    int target = to.orElseGet(() -> store.versions(name).stream().mapToInt(AppVersion::version).filter(v -> v < app.current())
        .max().orElseThrow(() -> new BerthException.Conflict("NoEarlierVersion", name + " v" + app.current()
            + " is its first version: there is nothing to roll back to")));
    if (target == app.current()) {
      throw new BerthException.Conflict("AlreadyCurrent", name + " already runs v" + target);
    }
    AppManifest m = version(name, target).manifest();
    Instant now = clock.instant();
    App next = startRollout(app, "rollback", target, m.withInstances(app.instances()), user, now);
    write(next, found.revision());
    store.record(new AppEvent(now, name, "rollback", user, target, "started", "rolling back from v" + app.current() + " to v" + target));
    signal.run();
    return next;
  }

  /** Finishes a canary rollout: the rest of the instances move to the new version as a rolling deploy. */
  public App promote(String name, String user) {
    Versioned<App> found = appOrThrow(name);
    App app = found.value();
    if (app.rollout() == null || app.rollout().phase() != Rollout.Phase.CANARY) {
      throw new BerthException.Conflict("NoCanary", name + " has no canary waiting for promote"
          + (app.rollingOut() ? " (its " + app.rollout().action() + " of v" + app.rollout().to() + " is " + app.rollout().phase() + ")" : ""));
    }
    Instant now = clock.instant();
    AppManifest m = version(name, app.rollout().to()).manifest();
    App next = app.withRollout(app.rollout().promoted(user, now, now.plus(m.deploy().deadlineDuration())));
    write(next, found.revision());
    store.record(new AppEvent(now, name, "promote", user, app.rollout().to(), "started", "promoting v" + app.rollout().to()
        + " to all " + app.rollout().target() + " instances"));
    signal.run();
    return next;
  }

  /** Stops a rollout: its new instances leave the routes, then stop; the version it replaced comes back. */
  public App abort(String name, String user) {
    Versioned<App> found = appOrThrow(name);
    App app = found.value();
    if (!app.rollingOut()) throw new BerthException.Conflict("NothingToAbort", name + " has no rollout in progress");
    Rollout r = app.rollout();
    if (r.from().isEmpty()) {
      throw new BerthException.Conflict("NothingToAbort", "the " + r.action() + " of " + name + " v" + r.to()
          + " has no earlier version to go back to" + (r.action().equals("scale") ? "; scale it again instead" : "; berth app rm " + name + " removes it"));
    }
    Instant now = clock.instant();
    App back = Rollouts.revert(app, now);
    String msg = "aborted by " + user + "; back to v" + back.current();
    App next = back.withRollout(r.in(Rollout.Phase.ABORTED, msg, now));
    write(next, found.revision());
    store.record(new AppEvent(now, name, "abort", user, r.to(), "aborted", msg));
    signal.run();
    return next;
  }

  /** Removes the app: its instances leave the routes, then stop, then its records go. */
  public void remove(String name, String user) {
    Versioned<App> found = appOrThrow(name);
    App app = found.value();
    if (app.removing()) return;
    Instant now = clock.instant();
    App next = app.markRemoving();
    for (App.Live l : app.live()) next = next.with(l.shrinkTo(0, now));
    write(next, found.revision());
    store.record(new AppEvent(now, name, "remove", user, app.current(), "started", "removing " + name));
    log.info("app-remove app={} user={}", name, user);
    signal.run();
  }

  // Reads

  public List<App> list() {
    List<App> out = new ArrayList<>();
    for (Versioned<App> v : store.apps()) out.add(v.value());
    out.sort(Comparator.comparing(App::name));
    return out;
  }

  public App get(String name) {
    return appOrThrow(name).value();
  }

  public List<AppVersion> versions(String name) {
    appOrThrow(name);
    return store.versions(name);
  }

  public AppVersion version(String name, int v) {
    return store.version(name, v).orElseThrow(() -> new BerthException.NotFound("AppVersionNotFound", name + " has no version v" + v));
  }

  public List<AppEvent> events(String name, int limit) {
    appOrThrow(name);
    return store.events(name, limit);
  }

  // Helpers

  private App startRollout(App app, String action, int to, AppManifest m, String user, Instant now) {
    List<Integer> from = new ArrayList<>();
    for (App.Live l : app.live()) if (l.version() != to && l.instances() > 0) from.add(l.version());
    AppManifest.Strategy strategy = from.isEmpty() || action.equals("rollback") ? AppManifest.Strategy.ROLLING : m.deploy().strategy();
    int old = app.live().stream().filter(l -> l.version() != to).mapToInt(App.Live::instances).sum();
    Rollout r = new Rollout(action, strategy, from, to, m.instances(), Rollout.Phase.PROGRESSING, "starting", 0, old, user, now,
        null, now.plus(m.deploy().deadlineDuration()));
    return app.withCurrent(to, m.instances()).withRollout(r);
  }

  private void refuseWhileBusy(App app, String what) {
    if (app.removing()) throw new BerthException.Conflict("AppRemoving", app.name() + " is being removed");
    if (app.rollingOut()) {
      Rollout r = app.rollout();
      String hint = r.phase() == Rollout.Phase.CANARY ? "berth app promote " + app.name() + " or berth app abort " + app.name()
          : "wait for it, or berth app abort " + app.name();
      throw new BerthException.Conflict("RolloutInProgress", "cannot " + what + " " + app.name() + ": its " + r.action()
          + " of v" + r.to() + " is " + r.phase() + " (" + r.message() + "); " + hint);
    }
  }

  /** A route belongs to one app: refused when a live version of another app serves it. */
  private void checkRoutes(AppManifest m) {
    for (Versioned<App> v : store.apps()) {
      App other = v.value();
      if (other.name().equals(m.name())) continue;
      Set<Integer> serving = new TreeSet<>();
      other.live().forEach(l -> serving.add(l.version()));
      if (!other.removing()) serving.add(other.current());
      for (int version : serving) {
        Optional<AppVersion> ov = store.version(other.name(), version);
        if (ov.isEmpty()) continue;
        for (int i = 0; i < m.routes().size(); i++) {
          String route = m.routes().get(i);
          if (ov.get().manifest().routes().contains(route)) {
            throw new BerthException.Conflict("RouteTaken", "routes[" + i + "]: " + route + " is served by app " + other.name()
                + " (remove it there first)");
          }
        }
      }
    }
  }

  /** An image on no node is refused, unless it names a registry to pull from. */
  private void checkImage(String image) {
    if (!knowsImages || !AppLrps.rootfs(image).startsWith("docker:///")) return;
    List<NodeView> views = nodes.get();
    if (views.isEmpty()) return; // no node is ready: placement will say so
    String full = image.contains(":") ? image : image + ":latest";
    for (NodeView n : views) if (n.images().contains(image) || n.images().contains(full)) return;
    throw new BerthException.Invalid("InvalidManifest", "image: " + image + " is on no node (" + views.size()
        + " ready); load it there, or push it to a registry and name it as HOST:PORT/REPO:TAG");
  }

  private static String note(AppManifest given, AppManifest previous) {
    if (previous == null) return "first version";
    List<String> changed = new ArrayList<>();
    if (given.image() != null && !given.image().equals(previous.image())) changed.add("image " + given.image());
    if (given.command() != null && !given.command().equals(previous.command())) changed.add("command");
    if (given.env() != null && !given.env().equals(previous.env())) changed.add("env");
    if (given.health() != null && !given.health().equals(previous.health())) changed.add("health");
    if (given.routes() != null && !given.routes().equals(previous.routes())) changed.add("routes");
    if (given.memory() != null && !given.memory().equalsIgnoreCase(previous.memory())) changed.add("memory " + given.memory());
    return changed.isEmpty() ? "same as before" : String.join(", ", changed);
  }

  private Versioned<App> appOrThrow(String name) {
    return store.app(name).orElseThrow(() -> new BerthException.NotFound("AppNotFound", "no app named " + name));
  }

  private void write(App next, long revision) {
    if (!store.replace(next, revision)) throw busy(next.name());
  }

  private static BerthException busy(String name) {
    return new BerthException.Conflict("ResourceConflict", name + " changed while this request ran: try again");
  }
}

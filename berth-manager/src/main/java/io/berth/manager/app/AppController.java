package io.berth.manager.app;

import io.berth.cluster.loop.Gate;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.AppLrps;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.app.Rollouts;
import io.berth.core.error.BerthException;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.LrpKey;
import io.berth.manager.activity.Activity;
import io.berth.manager.lrp.LrpService;
import io.berth.manager.lrp.Versioned;
import io.berth.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' control loop, a {@link ReconcileLoop}: on every change of apps, instances or routers
 * (and twice a second while anything moves), it steps each app's rollout ({@link Rollouts#step}),
 * makes the app's DesiredLRPs match its live versions, and publishes the routes of healthy
 * instances to {@code /slb/{group}/domains/{domain}}. Everything it decides comes from the store,
 * so any manager can run it, and a restarted one continues where the last stopped.
 *
 * <p>Invariants: an app record is only written by compare-and-set on the revision its pass read, so
 * a request or another manager changing it meanwhile wins and the next pass steps it again; the
 * rollout hears that a version's leaving instances are drained only once no live router routes to
 * them (or after {@link #DRAIN_MAX}); a domain is published only with running instances, and
 * removed once no app serves it.
 */
final class AppController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AppController.class);
  /** After the routers let go of an instance, the time in-flight requests get before it stops. */
  static final Duration DRAIN_GRACE = Duration.ofSeconds(1);
  /** A router that still routes to a leaving instance this long is not waited for any longer. */
  static final Duration DRAIN_MAX = Duration.ofSeconds(30);
  /** A router status older than this is not counted (its lease should have ended it already). */
  static final Duration ROUTER_STALE = Duration.ofSeconds(15);
  /** The pass after one in which something moves comes this soon, however quiet the store. */
  static final Duration MOVING = Duration.ofMillis(500);
  static final Duration IDLE = Duration.ofSeconds(5);
  private static final Pattern LRP_GUID = Pattern.compile("(.+)-v(\\d+)");
  private final AppStore store;
  private final LrpService lrps;
  private final Clock clock;
  private final Activity activity;
  private final Map<String, AppVersion> versions = new ConcurrentHashMap<>();
  private final List<Watch> watches = new ArrayList<>();
  private final RoutePublisher routes;
  private volatile Set<String> routedNow = Set.of();
  private final ReconcileLoop loop;

  /** Passes only while {@code gate} is open (on the leader); {@code store} and {@code lrps} write fenced on its term. */
  AppController(AppStore store, LrpService lrps, Clock clock, Activity activity, Gate gate) {
    this.store = store;
    this.lrps = lrps;
    this.clock = clock;
    this.activity = activity;
    // A burst of changes (a rollout's instances starting together) is gathered into one pass.
    this.loop = ReconcileLoop.named("app-controller").every(IDLE).gather(Duration.ofMillis(20)).gate(gate)
        .onFailure(e -> log.warn("app-controller-pass-failed {}", e.toString())).buildPaced(() -> pass() ? MOVING : IDLE);
    this.routes = new RoutePublisher(store, this::version, lrps::actuals);
  }

  void start() {
    long rev = store.raw().revision();
    for (String prefix : List.of(Keys.APPS, Keys.ACTUAL, Keys.ROUTERS, Keys.EVACUATING, Keys.DESIRED)) {
      // Only app records, routers and the LRPs of app versions wake the loop, not every LRP of the cluster.
      boolean lrpKeys = !prefix.equals(Keys.APPS) && !prefix.equals(Keys.ROUTERS);
      watches.add(store.raw().watch(prefix, rev + 1, e -> {
        if (!lrpKeys || isAppLrp(Keys.tail(e.kv().key(), prefix))) signal();
      }));
    }
    loop.signal(); // the first pass at once
    loop.start();
  }

  void signal() {
    loop.signal();
  }

  /** The instance guids some live router sends traffic to now. */
  boolean routed(String instanceGuid) {
    return routedNow.contains(instanceGuid);
  }

  /** What one pass reads once and shares across the apps; {@code actuals} fills as apps need them. */
  private record Pass(Instant now, Set<String> routed, Map<ProcessGuid, List<ActualLrp>> actuals,
                      Map<LrpKey, ActualLrp> evacuees, Map<ProcessGuid, DesiredLrp> desired) {
    long nowNanos() {
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
  }

  /** One pass over every app; true while some app is rolling out or shrinking (so the next pass comes soon). */
  boolean pass() {
    Instant now = clock.instant();
    Set<String> routed = new HashSet<>();
    for (RouterStatus r : store.routers()) {
      if (r.updatedAt() != null && r.updatedAt().isBefore(now.minus(ROUTER_STALE))) continue;
      routed.addAll(r.instances());
    }
    routedNow = Set.copyOf(routed);
    Map<LrpKey, ActualLrp> evacuees = new HashMap<>();
    for (ActualLrp e : lrps.evacuees()) evacuees.put(e.key(), e);
    Map<ProcessGuid, DesiredLrp> desired = new HashMap<>();
    for (DesiredLrp d : lrps.desired(Optional.of(AppLrps.APPS))) desired.put(d.processGuid(), d);
    // Each app version's instances, read by its own prefix when first needed in this pass.
    Pass p = new Pass(now, routed, new HashMap<>(), evacuees, desired);
    boolean moving = false;
    List<App> apps = new ArrayList<>();
    Set<String> appNames = new HashSet<>();
    for (Versioned<App> v : store.apps()) {
      appNames.add(v.value().name());
      moving |= step(v, p, apps);
    }
    // LRPs of apps that no longer exist (removed on another manager mid-way): stop them too.
    for (ProcessGuid guid : desired.keySet()) {
      Matcher m = LRP_GUID.matcher(guid.value());
      if (m.matches() && !appNames.contains(m.group(1))) removeLrp(guid);
    }
    routes.publish(apps, p.actuals(), evacuees);
    return moving;
  }

  /**
   * Steps one app's rollout, stores it with its events and brings its LRPs in line; adds the app
   * whose routes to publish to {@code apps} (none once removed). True while it moves.
   */
  private boolean step(Versioned<App> v, Pass p, List<App> apps) {
    App app = v.value();
    Map<Integer, AppManifest> manifests = manifests(app);
    Map<Integer, Rollouts.Observed> seen = observed(app, manifests, p);
    App next = app;
    List<AppEvent> events = List.of();
    if (manifests.containsKey(app.rollout() == null ? app.current() : app.rollout().to())) {
      Rollouts.Step step = Rollouts.step(app, manifests, seen, p.now(), DRAIN_GRACE);
      next = step.app();
      events = step.events();
    }
    if (!next.equals(app)) {
      if (!store.replace(next, v.revision())) {
        // Changed meanwhile (a request, another manager): the next pass steps it; its routes stay as they were.
        apps.add(app);
        return true;
      }
      for (AppEvent e : events) {
        store.record(e);
        activity.record("app-" + e.action() + "-" + e.outcome(), "app/" + e.app(), e.message());
      }
    }
    if (next.removing() && next.live().isEmpty()) {
      removeLrps(next.name(), p.desired(), Set.of());
      store.removeAll(next.name(), next.equals(app) ? v.revision() : store.app(next.name()).map(Versioned::revision).orElse(0L));
      activity.record("app-removed", "app/" + next.name(), next.name() + " removed");
      return false;
    }
    reconcile(next, p.desired());
    apps.add(next);
    return next.rollingOut() || next.live().stream().anyMatch(App.Live::shrinking);
  }

  /** The manifests of the app's live versions, its current one and its rollout's target, as far as they are stored. */
  private Map<Integer, AppManifest> manifests(App app) {
    Map<Integer, AppManifest> manifests = new HashMap<>();
    Set<Integer> wanted = new HashSet<>();
    for (App.Live l : app.live()) wanted.add(l.version());
    wanted.add(app.current());
    if (app.rollout() != null) wanted.add(app.rollout().to());
    for (int n : wanted) version(app.name(), n).ifPresent(av -> manifests.put(n, av.manifest()));
    return manifests;
  }

  /** What each live version's instances show now: running, healthy, crashing, drained. */
  private Map<Integer, Rollouts.Observed> observed(App app, Map<Integer, AppManifest> manifests, Pass p) {
    Map<Integer, Rollouts.Observed> seen = new HashMap<>();
    for (App.Live l : app.live()) {
      AppManifest m = manifests.get(l.version());
      Duration minHealthy = m == null ? Duration.ZERO : m.deploy().minHealthyDuration();
      seen.put(l.version(), observe(l, p.actuals().computeIfAbsent(AppVersion.processGuid(app.name(), l.version()), lrps::actuals),
          p.evacuees(), p.routed(), p.nowNanos(), minHealthy, p.now()));
    }
    return seen;
  }

  /** Whether the key below a DesiredLRP, ActualLRP or evacuee prefix belongs to an app version's LRP ({@code APP-vN}). */
  static boolean isAppLrp(String tail) {
    int slash = tail.indexOf('/');
    return LRP_GUID.matcher(slash < 0 ? tail : tail.substring(0, slash)).matches();
  }

  private Optional<AppVersion> version(String app, int n) {
    String key = app + "/" + n;
    AppVersion v = versions.get(key);
    if (v != null) return Optional.of(v);
    Optional<AppVersion> read = store.version(app, n);
    read.ifPresent(x -> versions.put(key, x));
    return read;
  }

  static Rollouts.Observed observe(App.Live l, List<ActualLrp> instances, Map<LrpKey, ActualLrp> evacuees, Set<String> routed,
                                   long nowNanos, Duration minHealthy, Instant now) {
    int running = 0;
    int healthy = 0;
    int worst = 0;
    String reason = "";
    boolean drained = true;
    for (ActualLrp a : instances) {
      if (a.index() < l.instances()) {
        if (a.state() == ActualState.RUNNING) {
          running++;
          if (nowNanos - a.runningSince() >= minHealthy.toNanos()) healthy++;
        }
        if (a.crashCount() > worst && a.state() != ActualState.RUNNING) {
          worst = a.crashCount();
          reason = a.crashReason();
        }
      }
      if (a.index() >= l.routed()) {
        if (routed.contains(a.instanceGuid().value())) drained = false;
        ActualLrp e = evacuees.get(a.key());
        if (e != null && routed.contains(e.instanceGuid().value())) drained = false;
      }
    }
    if (!drained && l.shrinkingSince() != null && now.isAfter(l.shrinkingSince().plus(DRAIN_MAX))) {
      log.warn("app-drain-timeout version={} routers still route to leaving instances after {}s; stopping them anyway",
          l.version(), DRAIN_MAX.toSeconds());
      drained = true;
    }
    return new Rollouts.Observed(running, healthy, worst, reason, drained);
  }

  /** The app's DesiredLRPs: one per live version with its instance count; none for versions no longer live. */
  private void reconcile(App app, Map<ProcessGuid, DesiredLrp> desired) {
    Set<ProcessGuid> keep = new HashSet<>();
    for (App.Live l : app.live()) {
      ProcessGuid guid = AppVersion.processGuid(app.name(), l.version());
      keep.add(guid);
      DesiredLrp d = desired.get(guid);
      try {
        if (d == null) {
          Optional<AppVersion> v = version(app.name(), l.version());
          if (v.isPresent()) lrps.desire(AppLrps.desired(v.get(), l.instances()));
        } else if (d.instances() != l.instances()) {
          lrps.update(guid, new DesiredLrpUpdate(l.instances(), null, null));
        }
      } catch (BerthException e) {
        log.debug("app-lrp-change-raced process={} {}", guid, e.getMessage()); // another manager did it
      }
    }
    removeLrps(app.name(), desired, keep);
  }

  private void removeLrps(String app, Map<ProcessGuid, DesiredLrp> desired, Set<ProcessGuid> keep) {
    for (ProcessGuid guid : desired.keySet()) {
      Matcher m = LRP_GUID.matcher(guid.value());
      if (m.matches() && m.group(1).equals(app) && !keep.contains(guid)) removeLrp(guid);
    }
  }

  private void removeLrp(ProcessGuid guid) {
    try {
      lrps.remove(guid);
      log.info("app-lrp-removed process={}", guid);
    } catch (BerthException e) {
      log.debug("app-lrp-remove-raced process={} {}", guid, e.getMessage());
    }
  }

  @Override
  public void close() {
    for (Watch w : watches) w.close();
    loop.stop();
  }
}

package io.berth.core.app;

import io.berth.core.app.App.Live;
import io.berth.core.app.Rollout.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pure step of the app controller: from an app's state and what its instances are doing now,
 * the next state and what to record. Level-triggered — it looks only at the present, never at
 * what it did before — so running it again after a manager restart, or twice, is harmless.
 *
 * <p>Two rules hold for every strategy: an instance receives traffic only once it runs healthy
 * (the route publisher's side), and an instance leaves the routes before it stops — a version is
 * shrunk by lowering {@code routed} first and {@code instances} only once the routers have let go
 * of the leaving instances and {@code grace} has passed.
 */
public final class Rollouts {
  /** A new instance that crashed this many times fails its rollout. */
  public static final int CRASHES_TO_FAIL = 2;

  private Rollouts() {}

  /**
   * What one version's instances are doing.
   *
   * @param running instances RUNNING (health check passed) among indexes below its {@code instances}
   * @param healthy of those, the ones that have run at least the deploy's {@code min_healthy}
   * @param worstCrashes the highest crash count among them, and {@code crashReason} its reason
   * @param drained no live router sends traffic to its instances at indexes {@code ≥ routed}
   */
  public record Observed(int running, int healthy, int worstCrashes, String crashReason, boolean drained) {
    public static final Observed NOTHING = new Observed(0, 0, 0, "", true);
  }

  /** The next state and the events to record. */
  public record Step(App app, List<AppEvent> events) {}

  public static Step step(App app, Map<Integer, AppManifest> manifests, Map<Integer, Observed> seen, Instant now,
                          Duration grace) {
    List<AppEvent> events = new ArrayList<>();
    App a = finishShrinks(app, seen, now, grace);
    if (a.rollingOut() && a.rollout().phase() == Phase.PROGRESSING && !a.removing()) {
      a = advance(a, manifests.get(a.rollout().to()).deploy(), seen, now, events);
    }
    return new Step(a, events);
  }

  /** Versions whose leaving instances the routers let go of stop them; versions left with nothing go. */
  static App finishShrinks(App app, Map<Integer, Observed> seen, Instant now, Duration grace) {
    App a = app;
    for (Live l : app.live()) {
      Live next = l;
      if (l.shrinking() && seen.getOrDefault(l.version(), Observed.NOTHING).drained()
          && l.shrinkingSince() != null && !now.isBefore(l.shrinkingSince().plus(grace))) {
        next = new Live(l.version(), l.routed(), l.routed(), null);
      }
      if (next.instances() == 0 && (next.version() != app.current() || app.removing())) a = a.without(l.version());
      else if (next != l) a = a.with(next);
    }
    return a;
  }

  private static App advance(App app, AppManifest.Deploy deploy, Map<Integer, Observed> seen, Instant now,
                             List<AppEvent> events) {
    Rollout r = app.rollout();
    Observed target = seen.getOrDefault(r.to(), Observed.NOTHING);
    if (target.worstCrashes() >= CRASHES_TO_FAIL) {
      return fail(app, "v" + r.to() + " instances crashed " + target.worstCrashes() + " times ("
          + target.crashReason() + ")", now, events);
    }
    if (r.deadline() != null && now.isAfter(r.deadline())) {
      return fail(app, "v" + r.to() + " had " + Math.min(target.healthy(), r.target()) + " of " + r.target()
          + " instances healthy when the deadline of " + deploy.deadline() + " passed", now, events);
    }
    Live to = app.find(r.to()).orElse(new Live(r.to(), 0, 0, null));
    App a = switch (r.strategy()) {
      case ROLLING -> rolling(app, to, r, deploy, seen, now);
      case CANARY -> app.with(to.growTo(Math.min(deploy.canaries(), r.target())));
      case BLUE_GREEN -> blueGreen(app, to, r, target, now);
    };
    Live t = a.find(r.to()).orElseThrow();
    int healthy = Math.min(target.healthy(), t.routed());
    if (r.strategy() == AppManifest.Strategy.BLUE_GREEN && t.routed() == 0) healthy = Math.min(target.healthy(), t.instances());
    int remaining = 0;
    for (Live l : a.live()) if (l.version() != r.to()) remaining += l.instances();
    String label = "v" + r.to();
    if (r.strategy() == AppManifest.Strategy.CANARY) {
      int canaries = Math.min(deploy.canaries(), r.target());
      if (healthy >= canaries) {
        String msg = canaries + (canaries == 1 ? " canary" : " canaries") + " of " + label + " healthy beside "
            + versions(r.from()) + "; promote or abort";
        events.add(new AppEvent(now, app.name(), "deploy", r.user(), r.to(), "canary", msg));
        return a.withRollout(r.progress(msg, healthy, remaining).in(Phase.CANARY, msg, now));
      }
      return a.withRollout(r.progress(healthy + " of " + canaries + " canaries of " + label + " healthy", healthy, remaining));
    }
    if (remaining == 0 && t.instances() == r.target() && t.routed() == r.target() && healthy >= r.target()) {
      String msg = label + " has " + r.target() + " of " + r.target() + " instances healthy";
      events.add(new AppEvent(now, app.name(), r.action(), r.user(), r.to(), "succeeded", msg));
      return a.withRollout(r.progress(msg, healthy, 0).in(Phase.SUCCEEDED, msg, now));
    }
    String msg = healthy + " of " + r.target() + " new instances healthy, " + remaining + " old remaining";
    if (r.from().isEmpty()) msg = healthy + " of " + r.target() + " instances healthy";
    return a.withRollout(r.progress(msg, healthy, remaining));
  }

  /** Kubernetes' rolling update: never more than target + max_surge instances, never fewer than target − max_unavailable in traffic. */
  private static App rolling(App app, Live to, Rollout r, AppManifest.Deploy deploy, Map<Integer, Observed> seen, Instant now) {
    int target = r.target();
    App a = app;
    if (to.instances() > target) to = to.shrinkTo(target, now);
    int oldInstances = 0;
    int oldAvailable = 0;
    for (Live l : app.live()) {
      if (l.version() == r.to()) continue;
      oldInstances += l.instances();
      oldAvailable += Math.min(l.routed(), seen.getOrDefault(l.version(), Observed.NOTHING).running());
    }
    int wantNew = Math.min(target, target + deploy.maxSurge() - oldInstances);
    if (wantNew > to.instances() && !to.shrinking()) to = to.growTo(wantNew);
    a = a.with(to);
    int newAvailable = Math.min(seen.getOrDefault(r.to(), Observed.NOTHING).healthy(), to.routed());
    int removable = newAvailable + oldAvailable - (target - deploy.maxUnavailable());
    for (Live l : app.live()) {
      if (l.version() == r.to() || l.routed() == 0) continue;
      Observed o = seen.getOrDefault(l.version(), Observed.NOTHING);
      int notServing = Math.max(0, l.routed() - o.running()); // routed but not running: removing them costs nothing
      int k = Math.min(l.routed(), Math.max(0, removable) + notServing);
      if (k <= 0) continue;
      a = a.with(l.shrinkTo(l.routed() - k, now));
      removable -= Math.max(0, k - notServing);
    }
    return a;
  }

  /** All new instances up out of traffic; once all are healthy, traffic moves to them in one step and the old ones go. */
  private static App blueGreen(App app, Live to, Rollout r, Observed target, Instant now) {
    if (to.routed() == 0) {
      if (to.instances() < r.target()) return app.with(new Live(r.to(), r.target(), 0, null));
      if (target.healthy() < r.target()) return app;
      App a = app.with(new Live(r.to(), r.target(), r.target(), null));
      for (Live l : app.live()) if (l.version() != r.to()) a = a.with(l.shrinkTo(0, now));
      return a;
    }
    App a = app;
    for (Live l : app.live()) if (l.version() != r.to() && l.routed() > 0) a = a.with(l.shrinkTo(0, now));
    return a;
  }

  /** The rollout failed: its new instances leave, the version it replaced comes back to the target. */
  static App fail(App app, String why, Instant now, List<AppEvent> events) {
    Rollout r = app.rollout();
    App a = revert(app, now);
    String msg = why + (a.current() == r.to() ? "; there is no earlier version to go back to"
        : "; rolled back to v" + a.current());
    events.add(new AppEvent(now, app.name(), r.action(), r.user(), r.to(), "failed", msg));
    return a.withRollout(r.in(Phase.FAILED, msg, now));
  }

  /**
   * Takes the rollout's new version out of traffic and brings the newest version it replaced back
   * to the target; the app then converges to that one. With nothing to go back to, nothing changes.
   */
  public static App revert(App app, Instant now) {
    Rollout r = app.rollout();
    if (r.from().isEmpty() || r.from().contains(r.to())) return app;
    int back = r.from().get(r.from().size() - 1);
    App a = app;
    Live to = a.find(r.to()).orElse(null);
    if (to != null) a = a.with(to.shrinkTo(0, now));
    Live old = a.find(back).orElse(new Live(back, 0, 0, null));
    a = a.with(old.shrinking() ? new Live(back, Math.max(old.instances(), r.target()), Math.max(old.instances(), r.target()), null)
        : old.growTo(r.target()));
    return a.withCurrent(back, r.target());
  }

  /** {@code v1} or {@code v1, v2}. */
  static String versions(List<Integer> vs) {
    if (vs.isEmpty()) return "nothing";
    return String.join(", ", vs.stream().map(v -> "v" + v).toList());
  }
}

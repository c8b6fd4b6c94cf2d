package io.berth.core.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An app's running state in the store ({@code /berth/apps/{name}}): which versions have
 * instances, how many of each are in traffic, and its rollout. Every change is a new record
 * written with compare-and-put; the controller advances it a step at a time from what it observes,
 * so a manager that restarts mid-rollout simply continues.
 *
 * @param current the version traffic converges to (a rollout's target, or what it reverted to)
 * @param instances how many instances the app wants
 * @param live the versions that have instances, oldest first
 * @param removing the app is being removed: its instances leave the routes, then stop
 */
public record App(String name, String owner, Instant createdAt, int latestVersion, int current, int instances,
                  List<Live> live, Rollout rollout, boolean removing) {
  public App {
    live = List.copyOf(live);
  }

  /**
   * One version with instances: its DesiredLRP runs {@code instances}; indexes below {@code routed}
   * may receive traffic. {@code routed < instances} means the rest are leaving: they were taken
   * out of the routes at {@code shrinkingSince} and stop once no router sends them traffic.
   */
  public record Live(int version, int instances, int routed, Instant shrinkingSince) {
    public boolean shrinking() {
      return routed < instances;
    }

    /** Out of traffic down to {@code n} routed instances; the rest stop once the routers let go of them. */
    public Live shrinkTo(int n, Instant now) {
      int r = Math.min(routed, n);
      if (r == routed && shrinkingSince != null) return this;
      return new Live(version, instances, r, r < instances ? now : null);
    }

    /** {@code n} instances, all in traffic (those not yet healthy get traffic once they are). */
    public Live growTo(int n) {
      return new Live(version, Math.max(n, instances), Math.max(n, instances), null);
    }
  }

  public Optional<Live> find(int version) {
    return live.stream().filter(l -> l.version() == version).findFirst();
  }

  /** This app with {@code l} in place of the live entry of its version (added, in version order, if absent). */
  public App with(Live l) {
    List<Live> out = new ArrayList<>();
    boolean placed = false;
    for (Live x : live) {
      if (x.version() == l.version()) {
        out.add(l);
        placed = true;
      } else {
        if (!placed && x.version() > l.version()) {
          out.add(l);
          placed = true;
        }
        out.add(x);
      }
    }
    if (!placed) out.add(l);
    return new App(name, owner, createdAt, latestVersion, current, instances, out, rollout, removing);
  }

  public App without(int version) {
    return new App(name, owner, createdAt, latestVersion, current, instances,
        live.stream().filter(l -> l.version() != version).toList(), rollout, removing);
  }

  public App withRollout(Rollout r) {
    return new App(name, owner, createdAt, latestVersion, current, instances, live, r, removing);
  }

  public App withCurrent(int version, int n) {
    return new App(name, owner, createdAt, latestVersion, version, n, live, rollout, removing);
  }

  public App withLatest(int version) {
    return new App(name, owner, createdAt, version, current, instances, live, rollout, removing);
  }

  public App markRemoving() {
    return new App(name, owner, createdAt, latestVersion, current, instances, live, rollout, true);
  }

  /** Whether a rollout is under way (progressing, or a canary waiting for promote or abort). */
  public boolean rollingOut() {
    return rollout != null && !rollout.phase().over();
  }
}

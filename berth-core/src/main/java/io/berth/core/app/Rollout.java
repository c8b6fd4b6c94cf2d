package io.berth.core.app;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One change of an app's running versions — a deploy, rollback, scale, or a promoted canary —
 * with how far it got. It stays on the app after it ends, as its last outcome.
 *
 * @param action what started it: {@code deploy}, {@code rollback}, {@code scale}, {@code promote}, {@code abort}
 * @param from the versions it replaces
 * @param to the version it brings to {@code target} instances
 * @param deadline when it fails unless done (null while a canary waits for promote or abort)
 */
public record Rollout(String action, AppManifest.Strategy strategy, List<Integer> from, int to, int target, Phase phase,
                      String message, int newHealthy, int oldRemaining, String user, Instant startedAt,
                      Instant finishedAt, Instant deadline) {
  public Rollout {
    from = List.copyOf(from);
  }

  /** Where a rollout stands. */
  public enum Phase {
    PROGRESSING, CANARY, SUCCEEDED, FAILED, ABORTED;

    public boolean over() {
      return this == SUCCEEDED || this == FAILED || this == ABORTED;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Rollout progress(String msg, int healthy, int remaining) {
    return new Rollout(action, strategy, from, to, target, phase, msg, healthy, remaining, user, startedAt, finishedAt, deadline);
  }

  public Rollout in(Phase p, String msg, Instant now) {
    return new Rollout(action, strategy, from, to, target, p, msg, newHealthy, oldRemaining, user, startedAt,
        p.over() ? now : null, p == Phase.CANARY ? null : deadline);
  }

  /** The canary promoted: the rest rolls out as a rolling deploy, with a fresh deadline. */
  public Rollout promoted(String by, Instant now, Instant newDeadline) {
    return new Rollout("promote", AppManifest.Strategy.ROLLING, from, to, target, Phase.PROGRESSING, "promoted by " + by,
        newHealthy, oldRemaining, by, now, null, newDeadline);
  }
}

package io.berth.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Where one rule stands, as the store keeps it so a new leader continues (a rule pending for 90 s
 * of its 2m stays pending from then, not from zero). {@link #step} is Prometheus' {@code for}
 * semantics as a pure function of the previous state, whether the expression holds, and now.
 *
 * @param activeSince when the expression began to hold (Prometheus' {@code activeAt}); null when inactive
 * @param changedAt when the phase last changed
 * @param value the value at the last change
 */
public record AlertState(Phase phase, Instant activeSince, Instant changedAt, double value) {
  /** A rule never evaluated. */
  public static final AlertState NEW = new AlertState(Phase.INACTIVE, null, null, Double.NaN);

  /** The phases: inactive → pending → firing → resolved (which is inactive again, remembered as resolved). */
  public enum Phase {
    INACTIVE, PENDING, FIRING, RESOLVED;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Neither pending nor firing. */
    public boolean quiet() {
      return this == INACTIVE || this == RESOLVED;
    }
  }

  /** The next state and, when the phase changed, the change (people are told of FIRING and RESOLVED). */
  public record Step(AlertState next, boolean changed) {}

  /**
   * One evaluation at {@code now}: holding starts PENDING (FIRING at once when {@code forDuration} is
   * zero) and fires once it has held for {@code forDuration}; not holding — no data included —
   * drops a pending rule back to INACTIVE and resolves a firing one.
   */
  public Step step(boolean holds, double value, Duration forDuration, Instant now) {
    if (holds) {
      Instant since = phase.quiet() ? now : activeSince;
      if (phase == Phase.FIRING) return new Step(this, false);
      if (!now.isBefore(since.plus(forDuration))) return new Step(new AlertState(Phase.FIRING, since, now, value), true);
      if (phase == Phase.PENDING) return new Step(this, false);
      return new Step(new AlertState(Phase.PENDING, since, now, value), true);
    }
    return switch (phase) {
      case PENDING -> new Step(new AlertState(Phase.INACTIVE, null, now, value), true);
      case FIRING -> new Step(new AlertState(Phase.RESOLVED, activeSince, now, value), true);
      default -> new Step(this, false);
    };
  }
}

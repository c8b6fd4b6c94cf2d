package io.berth.core.scale;

import io.berth.core.app.Autoscale;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes' horizontal pod autoscaler as a pure function (docs/autoscale.md). Each metric
 * proposes {@code ceil(measured × value / target)}, or the current count when the ratio is
 * within {@value #TOLERANCE} of 1; the highest proposal wins. Scaling up happens at once, at most
 * to {@code max(2 × current, current + 4)} per decision (HPA's default scale-up policy); scaling
 * down only to the highest recommendation of the last stabilisation window (HPA's scale-down
 * stabilisation, 5 minutes by default). The result never leaves {@code [min, max]}.
 */
public final class Hpa {
  /** HPA's {@code --horizontal-pod-autoscaler-tolerance}. */
  public static final double TOLERANCE = 0.1;
  /** HPA's default scale-up policy: at most double, or four more, whichever is more. */
  static final int MORE_AT_LEAST = 4;

  private Hpa() {}

  /**
   * What to do now.
   *
   * @param desired the instance count to scale to ({@code current} for no change)
   * @param reason why, e.g. {@code cpu 92 % > 60 %}; empty when nothing changes
   * @param history the recommendation history to keep for the next decision
   */
  public record Decision(int desired, String reason, List<Recommendation> history) {
    public Decision {
      history = List.copyOf(history);
    }
  }

  private record Proposal(int instances, String reason) {}

  /** Decides for an app running {@code current} instances under {@code policy}, with the history of earlier decisions. */
  public static Decision decide(Autoscale policy, int current, Load load, List<Recommendation> history, Instant now, Duration window) {
    Proposal best = null; // a metric not measured proposes nothing (null)
    for (Proposal p : Arrays.asList(propose("cpu", load.cpuPercent(), policy.cpuPercent(), " %", current, load.measured()),
        propose("memory", load.memoryPercent(), policy.memoryPercent(), " %", current, load.measured()),
        propose("requests_per_instance", load.requestsPerInstance(), policy.requestsTarget(), "", current, load.measured()))) {
      if (p != null && (best == null || p.instances() > best.instances())) best = p;
    }
    List<Recommendation> kept = best == null ? prune(history, now, window) : record(history, best.instances(), now, window);
    int desired = current;
    String reason = "";
    if (best != null && best.instances() > current) {
      desired = Math.min(best.instances(), Math.max(2 * current, current + MORE_AT_LEAST));
      reason = best.reason();
    } else if (best != null && best.instances() < current) {
      int highest = best.instances();
      for (Recommendation r : kept) highest = Math.max(highest, r.instances());
      desired = Math.min(current, highest);
      reason = desired < current ? best.reason() : "";
    }
    if (desired < policy.min()) {
      desired = policy.min();
      reason = reason.isEmpty() ? "min " + policy.min() : reason + " (min " + policy.min() + ")";
    } else if (desired > policy.max()) {
      desired = policy.max();
      reason = reason.isEmpty() ? "max " + policy.max() : reason + " (max " + policy.max() + ")";
    }
    return new Decision(desired, desired == current ? "" : reason, kept);
  }

  /** One metric's proposal, or null when it is not measured or not a target. */
  private static Proposal propose(String name, double value, double target, String unit, int current, int measured) {
    if (Double.isNaN(value) || Double.isNaN(target) || target <= 0 || measured <= 0) return null;
    double ratio = value / target;
    String reason = name + " " + number(value) + unit + (ratio >= 1 ? " > " : " < ") + number(target) + unit;
    if (Math.abs(ratio - 1) <= TOLERANCE) return new Proposal(current, reason);
    return new Proposal((int) Math.min(Integer.MAX_VALUE, Math.ceil(measured * ratio - 1e-9)), reason);
  }

  /** The history with {@code instances} recommended from {@code now}, pruned to the window. */
  static List<Recommendation> record(List<Recommendation> history, int instances, Instant now, Duration window) {
    List<Recommendation> out = new ArrayList<>(history);
    if (out.isEmpty() || out.get(out.size() - 1).instances() != instances) out.add(new Recommendation(now, instances));
    return prune(out, now, window);
  }

  /** Drops the entries that ended before the window began (an entry lasts until the next one starts). */
  static List<Recommendation> prune(List<Recommendation> history, Instant now, Duration window) {
    Instant start = now.minus(window);
    List<Recommendation> out = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      boolean ended = i + 1 < history.size() && !history.get(i + 1).at().isAfter(start);
      if (!ended) out.add(history.get(i));
    }
    return out;
  }

  /** 92, 7.5: whole numbers from 10 up, one decimal below. */
  static String number(double v) {
    return Math.abs(v) >= 10 || v == Math.rint(v) ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
  }
}

package io.berth.core.lrp;

import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The diff of desired against actual LRPs, as Diego's convergence computes it: a pure function of
 * a snapshot and {@code now} (nanoseconds since the epoch) returning the changes to make, as data.
 *
 * <ul>
 *   <li>an index below {@code instances} with no record gets a new UNCLAIMED one;</li>
 *   <li>a CLAIMED or RUNNING instance on a cell that is not live is UNCLAIMED again (placed elsewhere),
 *       and so is one whose assignment is missing past a grace period;</li>
 *   <li>a CRASHED instance whose back-off is over is restarted (UNCLAIMED);</li>
 *   <li>an instance nobody wants (index past {@code instances}, or no DesiredLRP) is retired, but
 *       only when its domain is fresh: an unfresh domain may just not have been told yet;</li>
 *   <li>a RUNNING instance on a draining cell becomes the slot's evacuee, kept running while the
 *       slot is placed elsewhere; the evacuee stops once the replacement runs (or its cell is lost);</li>
 *   <li>UNCLAIMED instances — old ones and those the changes above make — are to be placed.</li>
 * </ul>
 */
public final class Convergence {
  private Convergence() {}

  /** What the diff reads: every DesiredLRP by process guid, every ActualLRP, fresh domains, live cells. */
  public record Snapshot(Map<ProcessGuid, DesiredLrp> desired, List<ActualLrp> actuals, Set<Domain> freshDomains,
                         Set<NodeName> liveCells, Set<InstanceGuid> assigned, Set<NodeName> draining,
                         Map<LrpKey, ActualLrp> evacuating) {
    /** A snapshot with nothing draining. */
    public Snapshot(Map<ProcessGuid, DesiredLrp> desired, List<ActualLrp> actuals, Set<Domain> freshDomains,
                    Set<NodeName> liveCells, Set<InstanceGuid> assigned) {
      this(desired, actuals, freshDomains, liveCells, assigned, Set.of(), Map.of());
    }
  }

  /**
   * How long a claimed instance may lack its assignment before it is claimed again: the manager
   * writes the claim, then the assignment, and may stop between the two.
   */
  public static final long ASSIGNMENT_GRACE_NANOS = 10_000_000_000L;

  /** One change to make. */
  public sealed interface Change permits Create, Unclaim, Restart, Retire, Evacuate, DropEvacuee {
    LrpKey key();
  }

  /** A wanted index has no record: write this UNCLAIMED one. */
  public record Create(ActualLrp actual) implements Change {
    public LrpKey key() {
      return actual.key();
    }
  }

  /** The instance's cell is gone: back to UNCLAIMED (its container, if any, is the lost cell's). */
  public record Unclaim(ActualLrp actual, String reason) implements Change {
    public LrpKey key() {
      return actual.key();
    }
  }

  /** A crashed instance whose back-off is over: UNCLAIMED, to be placed again. */
  public record Restart(ActualLrp actual) implements Change {
    public LrpKey key() {
      return actual.key();
    }
  }

  /** An instance nobody wants: stop its container and delete its record. */
  public record Retire(ActualLrp actual) implements Change {
    public LrpKey key() {
      return actual.key();
    }
  }

  /**
   * A running instance on a draining cell: keep it running as the slot's evacuee and put the slot
   * back to UNCLAIMED, so a replacement starts elsewhere before the old one stops.
   */
  public record Evacuate(ActualLrp actual) implements Change {
    public LrpKey key() {
      return actual.key();
    }
  }

  /** An evacuee no longer needed (its replacement runs, its cell is lost, or its slot is not wanted): stop it. */
  public record DropEvacuee(ActualLrp evacuee, String reason) implements Change {
    public LrpKey key() {
      return evacuee.key();
    }
  }

  /** The result: changes to records, then the UNCLAIMED slots (after those changes) to place. */
  public record Result(List<Change> changes, List<LrpKey> toPlace) {}

  /** The changes that bring {@code s}'s actual LRPs in line with its desired ones at {@code now}. */
  public static Result plan(Snapshot s, long now, RestartPolicy policy, String epoch) {
    List<Change> changes = new ArrayList<>();
    List<LrpKey> toPlace = new ArrayList<>();
    Map<ProcessGuid, Map<Integer, ActualLrp>> byProcess = new HashMap<>();
    for (ActualLrp a : s.actuals()) byProcess.computeIfAbsent(a.processGuid(), k -> new HashMap<>()).put(a.index(), a);

    List<DesiredLrp> desired = new ArrayList<>(s.desired().values());
    desired.sort(Comparator.comparing(DesiredLrp::processGuid));
    for (DesiredLrp d : desired) {
      Map<Integer, ActualLrp> have = byProcess.getOrDefault(d.processGuid(), Map.of());
      for (int i = 0; i < d.instances(); i++) {
        ActualLrp a = have.get(i);
        if (a == null) {
          changes.add(new Create(ActualLrp.unclaimed(d.processGuid(), i, d.domain(), now, epoch)));
          toPlace.add(new LrpKey(d.processGuid(), i));
          continue;
        }
        Change c = wantedSlot(a, s, now, policy);
        if (c != null) changes.add(c);
        if (c != null || a.state() == ActualState.UNCLAIMED) toPlace.add(a.key());
      }
      if (s.freshDomains().contains(d.domain())) {
        have.values().stream().filter(a -> a.index() >= d.instances()).sorted(Comparator.comparingInt(ActualLrp::index))
            .forEach(a -> changes.add(new Retire(a)));
      }
    }
    byProcess.forEach((guid, have) -> {
      if (s.desired().containsKey(guid)) return;
      have.values().stream().filter(a -> s.freshDomains().contains(a.domain()))
          .sorted(Comparator.comparingInt(ActualLrp::index)).forEach(a -> changes.add(new Retire(a)));
    });
    evacuees(s, byProcess, changes);
    return new Result(List.copyOf(changes), List.copyOf(toPlace));
  }

  /**
   * The change the instance in a wanted slot needs, which puts the slot up for placement again; null
   * when it needs none (an UNCLAIMED one is up for placement already).
   */
  private static Change wantedSlot(ActualLrp a, Snapshot s, long now, RestartPolicy policy) {
    return switch (a.state()) {
      case UNCLAIMED -> null;
      case CLAIMED, RUNNING -> {
        if (s.liveCells().contains(a.cellId()) && s.draining().contains(a.cellId())) {
          yield a.state() == ActualState.RUNNING && !s.evacuating().containsKey(a.key())
              ? new Evacuate(a) : new Unclaim(a, "cell " + a.cellId() + " is draining");
        } else if (!s.liveCells().contains(a.cellId())) {
          yield new Unclaim(a, "cell " + a.cellId() + " is lost");
        } else if (!s.assigned().contains(a.instanceGuid()) && now - a.since() > ASSIGNMENT_GRACE_NANOS) {
          yield new Unclaim(a, "instance " + a.instanceGuid() + " has no assignment on " + a.cellId());
        }
        yield null;
      }
      case CRASHED -> policy.mayRestart(a, now) ? new Restart(a) : null;
    };
  }

  /** Drops each evacuee whose cell is lost, whose slot is not wanted, or whose replacement runs elsewhere. */
  private static void evacuees(Snapshot s, Map<ProcessGuid, Map<Integer, ActualLrp>> byProcess, List<Change> changes) {
    List<ActualLrp> evacuees = new ArrayList<>(s.evacuating().values());
    evacuees.sort(Comparator.comparing(ActualLrp::processGuid).thenComparingInt(ActualLrp::index));
    for (ActualLrp e : evacuees) {
      DesiredLrp d = s.desired().get(e.processGuid());
      ActualLrp current = byProcess.getOrDefault(e.processGuid(), Map.of()).get(e.index());
      if (!s.liveCells().contains(e.cellId())) changes.add(new DropEvacuee(e, "cell " + e.cellId() + " is lost"));
      else if (d == null || e.index() >= d.instances()) changes.add(new DropEvacuee(e, "not wanted"));
      else if (current != null && current.state() == ActualState.RUNNING && !current.cellId().equals(e.cellId())) {
        changes.add(new DropEvacuee(e, "replacement running on " + current.cellId()));
      }
    }
  }
}

package io.berth.core.lrp;

import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure half of a convergence pass's placement step: what to place (the UNCLAIMED slots whose
 * DesiredLRP still exists, then the PENDING tasks) and the scheduler's plan matched back to that
 * work, an LRP slot by its {@link LrpKey} and a task by its {@link TaskGuid}. Work the plan left
 * out has no node and, when the plan said why, a reason.
 */
public final class Placements {
  /** Nothing placed: the answer when there was nothing to place. */
  public static final Placements NONE = new Placements(Map.of(), Map.of());

  /** One thing to place and what the scheduler weighs of it. */
  public sealed interface Want {
    String image();

    long memoryBytes();
  }

  /** An UNCLAIMED instance slot. */
  public record SlotWant(LrpKey key, String image, long memoryBytes) implements Want {}

  /** A PENDING task. */
  public record TaskWant(TaskGuid guid, String image, long memoryBytes) implements Want {}

  /** Nodes and reasons by the want's key: an {@link LrpKey} or a {@link TaskGuid}, which never equal each other. */
  private final Map<Object, NodeName> nodes;
  private final Map<Object, String> reasons;

  private Placements(Map<Object, NodeName> nodes, Map<Object, String> reasons) {
    this.nodes = nodes;
    this.reasons = reasons;
  }

  /** The work to place, slots first: a slot whose DesiredLRP is gone is not placed (convergence retires it). */
  public static List<Want> wants(List<ActualLrp> unclaimed, List<Task> pending, Map<ProcessGuid, DesiredLrp> desired) {
    List<Want> out = new ArrayList<>(unclaimed.size() + pending.size());
    for (ActualLrp a : unclaimed) {
      DesiredLrp d = desired.get(a.processGuid());
      if (d != null) out.add(new SlotWant(a.key(), d.image(), bytes(d.memoryMb())));
    }
    for (Task t : pending) out.add(new TaskWant(t.taskGuid(), t.image(), bytes(t.memoryMb())));
    return out;
  }

  /**
   * Matches {@code plan}'s answers to the work: {@code requests.get(i)} is the request planned for
   * {@code wants.get(i)}, and the plan names its requests by identity.
   */
  public static Placements match(List<? extends Want> wants, List<PlacementRequest> requests, Plan plan) {
    if (wants.size() != requests.size()) {
      throw new IllegalArgumentException(wants.size() + " wants but " + requests.size() + " requests");
    }
    Map<PlacementRequest, Object> keys = new IdentityHashMap<>();
    for (int i = 0; i < wants.size(); i++) keys.put(requests.get(i), key(wants.get(i)));
    Map<Object, NodeName> nodes = new HashMap<>();
    Map<Object, String> reasons = new HashMap<>();
    for (Plan.Placement p : plan.placed()) nodes.put(keys.get(p.request()), p.node());
    for (Plan.Unplaced u : plan.unplaced()) reasons.put(keys.get(u.request()), u.reason());
    return new Placements(nodes, reasons);
  }

  public Optional<NodeName> node(LrpKey slot) {
    return Optional.ofNullable(nodes.get(slot));
  }

  public Optional<NodeName> node(TaskGuid task) {
    return Optional.ofNullable(nodes.get(task));
  }

  /** Why the slot was not placed, as the plan said it. */
  public Optional<String> reason(LrpKey slot) {
    return Optional.ofNullable(reasons.get(slot));
  }

  public Optional<String> reason(TaskGuid task) {
    return Optional.ofNullable(reasons.get(task));
  }

  private static Object key(Want w) {
    return switch (w) {
      case SlotWant s -> s.key();
      case TaskWant t -> t.guid();
    };
  }

  private static long bytes(int mb) {
    return (long) mb << 20;
  }
}

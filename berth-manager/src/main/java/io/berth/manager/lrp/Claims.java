package io.berth.manager.lrp;

import io.berth.cluster.wire.Assignment;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.LrpKey;
import io.berth.core.lrp.Placements;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effectful half of a pass's placement step: asks the {@link Placer} for nodes, then claims
 * the placed slots and tasks (each a compare-and-put on its record with its assignment, all in one
 * store write) or records why one was not placed. What to place and which answer is whose is {@link Placements}' (pure, in core).
 */
final class Claims {
  private static final Logger log = LoggerFactory.getLogger(Claims.class);
  private final LrpStore store;
  private final LrpService service;
  private final Placer placer;

  Claims(LrpStore store, LrpService service, Placer placer) {
    this.store = store;
    this.service = service;
    this.placer = placer;
  }

  /** Places the UNCLAIMED slots among {@code keys} and the PENDING tasks; {@code holding}: instances that keep their node. */
  void placeAll(List<LrpKey> keys, Map<ProcessGuid, DesiredLrp> desired, List<ActualLrp> holding, List<Versioned<Task>> tasks,
                Set<NodeName> live, Set<NodeName> draining) {
    List<Versioned<ActualLrp>> unclaimed = new ArrayList<>();
    for (LrpKey k : keys) {
      store.actual(k.processGuid(), k.index()).filter(a -> a.value().state() == ActualState.UNCLAIMED).ifPresent(unclaimed::add);
    }
    List<Versioned<Task>> pending = tasks.stream().filter(t -> t.value().state() == TaskState.PENDING).toList();
    if (unclaimed.isEmpty() && pending.isEmpty()) return;
    List<Placements.Want> wants = Placements.wants(unclaimed.stream().map(Versioned::value).toList(),
        pending.stream().map(Versioned::value).toList(), desired);
    placer.placeAndClaim(wants, held(desired, holding, tasks), draining, out -> {
      // Every placed slot and task is claimed in one store write (a few for a huge pass): one transaction,
      // and one answer to each node's assignment poll, instead of two writes and an answer per claim.
      List<Pending> batch = new ArrayList<>();
      long now = service.now();
      for (Versioned<ActualLrp> v : unclaimed) {
        DesiredLrp d = desired.get(v.value().processGuid());
        if (d != null) claim(v, d, out, now).ifPresent(batch::add);
      }
      // As Diego's auctioneer: a task that no cell can take fails rather than waits.
      String noNode = live.isEmpty() ? "no node is ready" : "no node fits";
      for (Versioned<Task> v : pending) claim(v, out, noNode).ifPresent(batch::add);
      List<Boolean> held = store.claim(batch.stream().map(Pending::claim).toList());
      List<Placer.Held> claimed = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        if (!held.get(i)) continue; // someone changed the record since it was read: the next pass sees it
        Pending p = batch.get(i);
        log.info(p.logLine(), p.logArgs());
        claimed.add(p.holds());
      }
      return claimed;
    });
  }

  /** A claim to write, what it holds on its node once written, and the line that says so. */
  private record Pending(LrpStore.Claim claim, Placer.Held holds, String logLine, Object... logArgs) {}

  /** What already holds memory on its node: claimed or running instances and tasks. */
  private static List<Placer.Held> held(Map<ProcessGuid, DesiredLrp> desired, List<ActualLrp> holding, List<Versioned<Task>> tasks) {
    List<Placer.Held> held = new ArrayList<>();
    for (ActualLrp a : holding) {
      DesiredLrp d = desired.get(a.processGuid());
      if ((a.state() == ActualState.CLAIMED || a.state() == ActualState.RUNNING) && d != null) {
        held.add(new Placer.Held(a.cellId(), a.instanceGuid().value(), d.image(), (long) d.memoryMb() << 20, a.processGuid().value()));
      }
    }
    for (Versioned<Task> v : tasks) {
      Task t = v.value();
      if (t.state() == TaskState.CLAIMED || t.state() == TaskState.RUNNING) {
        held.add(new Placer.Held(t.cellId(), t.taskGuid().value(), t.image(), (long) t.memoryMb() << 20));
      }
    }
    return held;
  }

  /** The slot's claim if the plan placed it; else it records why not. */
  private Optional<Pending> claim(Versioned<ActualLrp> v, DesiredLrp d, Placements out, long now) {
    ActualLrp a = v.value();
    Optional<NodeName> node = out.node(a.key());
    if (node.isPresent()) {
      ActualLrp claimed = a.claim(node.get(), LrpService.newInstanceGuid(), now);
      return Optional.of(new Pending(LrpStore.Claim.of(claimed, v.revision(), assignment(d, claimed)),
          new Placer.Held(node.get(), claimed.instanceGuid().value(), d.image(), (long) d.memoryMb() << 20, a.processGuid().value()),
          "lrp-instance-claimed process={} index={} node={} instance={}", a.processGuid(), a.index(), node.get(), claimed.instanceGuid()));
    }
    String why = out.reason(a.key()).orElse("no node is ready");
    if (!why.equals(a.placementError())) {
      store.replace(a.unplaceable(why, now), v.revision());
      log.info("lrp-instance-unplaceable process={} index={} reason={}", a.processGuid(), a.index(), why);
    }
    return Optional.empty();
  }

  /** The task's claim if the plan placed it; else it fails, as no node can take it. */
  private Optional<Pending> claim(Versioned<Task> v, Placements out, String noNode) {
    Task t = v.value();
    Optional<NodeName> node = out.node(t.taskGuid());
    if (node.isPresent()) {
      Task claimed = t.in(TaskState.CLAIMED, node.get());
      return Optional.of(new Pending(LrpStore.Claim.of(claimed, v.revision(), assignment(t)),
          new Placer.Held(node.get(), t.taskGuid().value(), t.image(), (long) t.memoryMb() << 20),
          "task-claimed task={} node={}", t.taskGuid(), node.get()));
    }
    String why = out.reason(t.taskGuid()).orElse(noNode);
    store.replace(t.completed(true, "cannot be placed: " + why, ""), v.revision());
    log.info("task-unplaceable task={} reason={}", t.taskGuid(), why);
    return Optional.empty();
  }

  static Assignment assignment(DesiredLrp d, ActualLrp a) {
    return new Assignment(Assignment.LRP, a.instanceGuid().value(), a.processGuid().value(), a.index(), raw(d.domain()), d.image(),
        d.env(), d.cpuWeight(), d.diskMb(), d.memoryMb(), d.privileged(), d.setup(), d.action(), d.monitor(), d.healthCheck(),
        d.startTimeout(), d.ports(), d.logGuid(), d.logSource(), null);
  }

  static Assignment assignment(Task t) {
    return new Assignment(Assignment.TASK, t.taskGuid().value(), t.taskGuid().value(), 0, raw(t.domain()), t.image(), t.env(),
        t.cpuWeight(), t.diskMb(), t.memoryMb(), t.privileged(), null, t.action(), null, null, 0, List.of(), t.logGuid(),
        t.logSource(), t.resultFile());
  }

  /** The id as the wire carries it (a record read from an old store may lack it). */
  private static String raw(Object id) {
    return id == null ? null : id.toString();
  }
}

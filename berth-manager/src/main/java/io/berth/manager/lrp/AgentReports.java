package io.berth.manager.lrp;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent's reports of its work do to the records: an instance runs or crashes, a task runs
 * or completes. A report about an instance or task that is no longer the one assigned there (its
 * slot was placed again, the task completed) stops it: its assignment on that node goes.
 */
final class AgentReports {
  private static final Logger log = LoggerFactory.getLogger(AgentReports.class);
  private final LrpStore store;
  private final RestartPolicy policy;
  private final Function<NodeName, String> addressOf;
  private final LongSupplier now;
  private final Predicate<InstanceGuid> routed;

  AgentReports(LrpStore store, RestartPolicy policy, Function<NodeName, String> addressOf, LongSupplier now,
               Predicate<InstanceGuid> routed) {
    this.store = store;
    this.policy = policy;
    this.addressOf = addressOf;
    this.now = now;
    this.routed = routed;
  }

  /**
   * An LRP instance's report; true when its record changed in a way the convergence loop must see: a
   * crash, a restart. An instance that runs now gives it nothing to do (an evacuee of its slot aside:
   * one the routers still use waits for a pass), so 100 instances starting are not 100 passes.
   */
  boolean lrp(NodeName node, InstanceReport r) {
    ProcessGuid process = new ProcessGuid(r.processGuid());
    Optional<Versioned<ActualLrp>> evacuee = store.evacuee(process, r.index());
    if (evacuee.isPresent() && evacuee.get().value().instanceGuid().value().equals(r.instanceGuid()) && evacuee.get().value().cellId().equals(node)) {
      // The old instance on a draining node: it keeps serving until its replacement runs.
      if (r.state().equals(InstanceReport.CRASHED)) store.dropEvacuee(evacuee.get().value());
      return false;
    }
    for (int i = 0; i < LrpService.ATTEMPTS; i++) {
      Optional<Versioned<ActualLrp>> found = store.actual(process, r.index());
      if (found.isEmpty() || !found.get().value().instanceGuid().value().equals(r.instanceGuid()) || !found.get().value().cellId().equals(node)) {
        if (store.assigned(node, r.instanceGuid())) store.unassign(node, r.instanceGuid());
        return false;
      }
      Versioned<ActualLrp> v = found.get();
      ActualLrp a = v.value();
      ActualLrp next;
      Assignment again = null; // the assignment asking for one more start in place
      switch (r.state()) {
        case InstanceReport.RUNNING -> {
          if (a.state() == ActualState.RUNNING && a.ports().equals(r.ports())) return false;
          next = a.running(addressOf.apply(node), r.ports(), now.getAsLong());
        }
        case InstanceReport.CRASHED -> {
          Optional<Assignment> assigned = r.run() == null ? Optional.empty() : store.assignment(node, r.instanceGuid());
          if (assigned.isPresent() && r.run() < assigned.get().restarts()) return false; // that run was started again already
          long at = now.getAsLong();
          if (assigned.isPresent() && policy.restartsAtOnce(a, at)) {
            next = a.restartedInPlace(r.reason(), at, policy);
            again = assigned.get().restartedOnce();
          } else {
            next = a.crashed(r.reason(), at, policy);
          }
        }
        default -> {
          return false;
        }
      }
      if (store.replace(next, v.revision()).isPresent()) {
        if (again != null) {
          store.assign(node, again);
          log.info("lrp-instance-restarted process={} index={} node={} crashes={} reason={} (in place)", a.processGuid(), a.index(), node,
              next.crashCount(), r.reason());
        } else if (next.state() == ActualState.CRASHED) {
          store.unassign(node, r.instanceGuid());
          log.info("lrp-instance-crashed process={} index={} node={} crashes={} reason={}", a.processGuid(), a.index(), node,
              next.crashCount(), r.reason());
        } else {
          log.info("lrp-instance-running process={} index={} node={}", a.processGuid(), a.index(), node);
          // While a router still sends the evacuee traffic, convergence stops it later (it waits for the routers).
          evacuee.filter(e -> !routed.test(e.value().instanceGuid())).ifPresent(e -> {
            store.dropEvacuee(e.value());
            log.info("lrp-instance-evacuated process={} index={} from={} to={}", a.processGuid(), a.index(), e.value().cellId(), node);
          });
          return evacuee.isPresent();
        }
        return true;
      }
    }
    return false;
  }

  /** A task's report; true when its record changed. */
  boolean task(NodeName node, InstanceReport r) {
    for (int i = 0; i < LrpService.ATTEMPTS; i++) {
      Optional<Versioned<Task>> found = store.task(new TaskGuid(r.processGuid()));
      if (found.isEmpty() || !found.get().value().cellId().equals(node) || found.get().value().state() == TaskState.COMPLETED
          || found.get().value().state() == TaskState.RESOLVING) {
        if (store.assigned(node, r.instanceGuid())) store.unassign(node, r.instanceGuid());
        return false;
      }
      Versioned<Task> v = found.get();
      Task next = switch (r.state()) {
        case InstanceReport.RUNNING -> v.value().state() == TaskState.RUNNING ? null : v.value().in(TaskState.RUNNING, node);
        case InstanceReport.COMPLETED -> v.value().completed(r.failed(), r.reason(), r.result());
        case InstanceReport.CRASHED -> v.value().completed(true, r.reason().isEmpty() ? "the task's container failed" : r.reason(), "");
        default -> null;
      };
      if (next == null) return false;
      if (store.replace(next, v.revision()).isPresent()) {
        if (next.state() == TaskState.COMPLETED) {
          store.unassign(node, r.instanceGuid());
          log.info("task-completed task={} node={} failed={} reason={}", next.taskGuid(), node, next.failed(), next.failureReason());
        }
        return true;
      }
    }
    return false;
  }
}

package io.berth.core.lrp;

import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import java.util.List;

/**
 * What is believed to run in one instance slot ({@code processGuid}, {@code index}), in the
 * Receptor's {@code ActualLRPResponse} shape plus the bookkeeping convergence needs: when the
 * instance last (re)started running and when it last crashed. {@code since} is nanoseconds since
 * the epoch, as Diego writes it. A record with a state field rather than one type per state: the
 * wire shape is flat, and every state carries the same fields.
 */
public record ActualLrp(ProcessGuid processGuid, int index, InstanceGuid instanceGuid, NodeName cellId, Domain domain,
                        ActualState state, String address, List<PortMapping> ports,
                        int crashCount, String crashReason, String placementError, long since,
                        long runningSince, long crashedAt, ModificationTag modificationTag) {
  public ActualLrp {
    ports = ports == null ? List.of() : List.copyOf(ports);
  }

  /** A new, unplaced slot. */
  public static ActualLrp unclaimed(ProcessGuid processGuid, int index, Domain domain, long now, String epoch) {
    return new ActualLrp(processGuid, index, InstanceGuid.NONE, NodeName.NONE, domain, ActualState.UNCLAIMED, "", List.of(), 0, "", "", now, 0, 0,
        new ModificationTag(epoch, 0));
  }

  public LrpKey key() {
    return new LrpKey(processGuid, index);
  }

  /** Back to UNCLAIMED, off any node, keeping its crash history, with {@code placementError} ("" for none). */
  public ActualLrp unclaim(long now, String placementError) {
    return new ActualLrp(processGuid, index, InstanceGuid.NONE, NodeName.NONE, domain, ActualState.UNCLAIMED, "", List.of(), crashCount, crashReason,
        placementError, now, 0, crashedAt, modificationTag.next());
  }

  /** Assigned to {@code cell} as instance {@code guid}. */
  public ActualLrp claim(NodeName cell, InstanceGuid guid, long now) {
    return new ActualLrp(processGuid, index, guid, cell, domain, ActualState.CLAIMED, "", List.of(), crashCount, crashReason,
        "", now, 0, crashedAt, modificationTag.next());
  }

  /** Unplaceable for now, for the reason given. */
  public ActualLrp unplaceable(String why, long now) {
    return new ActualLrp(processGuid, index, InstanceGuid.NONE, NodeName.NONE, domain, ActualState.UNCLAIMED, "", List.of(), crashCount, crashReason,
        why, now, 0, crashedAt, modificationTag.next());
  }

  /** Healthy at {@code address} with its ports. */
  public ActualLrp running(String address, List<PortMapping> ports, long now) {
    return new ActualLrp(processGuid, index, instanceGuid, cellId, domain, ActualState.RUNNING, address, ports, crashCount,
        crashReason, "", now, state == ActualState.RUNNING ? runningSince : now, crashedAt, modificationTag.next());
  }

  /**
   * Crashed for {@code reason}, counted as {@link #crashed} counts, and at once starting again in its container
   * on the same cell (an immediate restart of Diego's back-off, made in place): CLAIMED, same instance guid.
   */
  public ActualLrp restartedInPlace(String reason, long now, RestartPolicy policy) {
    int count = policy.countAfterCrash(this, now);
    return new ActualLrp(processGuid, index, instanceGuid, cellId, domain, ActualState.CLAIMED, "", List.of(), count, reason, "", now, 0,
        now, modificationTag.next());
  }

  /** Crashed for {@code reason}, counted; the crash count restarts from one after a long healthy run. */
  public ActualLrp crashed(String reason, long now, RestartPolicy policy) {
    int count = policy.countAfterCrash(this, now);
    return new ActualLrp(processGuid, index, InstanceGuid.NONE, NodeName.NONE, domain, ActualState.CRASHED, "", List.of(), count, reason, "", now, 0,
        now, modificationTag.next());
  }
}

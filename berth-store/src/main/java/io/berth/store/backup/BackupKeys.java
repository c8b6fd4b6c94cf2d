package io.berth.store.backup;

import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.util.List;

/**
 * Which keys a backup holds. Everything under {@code /berth/} but the ephemeral: a key on a lease
 * lives only while a process renews it, and restored without that process it would be a lie (a
 * leader that is gone, a node "alive" that never heartbeats). Restored plain they would never
 * expire, so they are left out and their owners write them again: nodes re-register and heartbeat,
 * managers re-elect a leader and re-claim their records, routers report again.
 *
 * <p>{@code /slb/} is not held either: the leader's app controller publishes it again from apps and
 * instances on its first pass.
 */
final class BackupKeys {
  /** Everything a backup holds lives under this prefix. */
  static final String PREFIX = "/berth/";
  /** Written first by a restore and deleted last: a manager refuses to start on a store holding it. */
  static final String RESTORING = "/berth/restoring";
  /** The leader key, on the leader's lease: a store that has it is live. */
  static final String LEADER = "/berth/leader";
  /** Managers' records, each on its manager's lease. */
  static final String MANAGERS = "/berth/managers/";

  /** Ephemeral by prefix, each with why (a key on any lease is skipped as well). */
  static final List<String> EPHEMERAL = List.of(
      LEADER,                      // the election: re-run by the managers
      MANAGERS,                    // live managers: each re-claims its record
      "/berth/health/",            // node liveness leases: renewed by the next heartbeat
      "/berth/docker/create-lock", // the plan lock: held only during one plan step
      "/berth/docker/created/",    // the plan journal: on 60 s / 5 min leases
      "/berth/locks/",             // the owners lock
      "/berth/routers/",           // router statuses: on a 10 s lease renewed by each report
      "/berth/sign-in-failures/",  // back-off counters: on leases
      RESTORING);                  // a restore in progress is never itself backed up

  private BackupKeys() {}

  /** True for keys a backup holds. */
  static boolean held(KeyValue kv) {
    if (kv.lease() != StateStore.Lease.NONE) {
      return false;
    }
    for (String prefix : EPHEMERAL) {
      if (kv.key().startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }
}

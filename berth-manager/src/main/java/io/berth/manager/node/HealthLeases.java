package io.berth.manager.node;

import io.berth.core.Keys;
import io.berth.core.id.NodeName;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes' health keys at {@code /berth/health/{name}}, each on a store lease of the node TTL
 * whose id it holds, so any manager can renew it; and the lease ids this manager knows, so a
 * heartbeat costs one keep-alive. The key is only created where none is, or put over one whose
 * lease is dead: a register, a heartbeat and a new leader's lease refresh may race for one node (on
 * one manager or several), and a plain put would leave the key on the lease of one while the
 * others renew a lease holding nothing; the key then expired a TTL later, and the node was marked
 * down with its instances moved while its agent was beating.
 */
final class HealthLeases {
  private final StateStore store;
  private final Duration ttl;
  private final Map<NodeName, Long> known = new ConcurrentHashMap<>();

  HealthLeases(StateStore store, Duration ttl) {
    this.store = store;
    this.ttl = ttl;
  }

  /** Renews the lease the node's health key is on; false when there is none, or it ended. */
  boolean renew(NodeName name) {
    Long lease = known.get(name);
    if (lease == null) {
      Optional<KeyValue> key = store.get(Keys.health(name.value()));
      if (key.isEmpty()) return false;
      lease = Long.parseLong(key.get().text());
      known.put(name, lease);
    }
    if (store.keepAlive(lease)) return true;
    known.remove(name, lease);
    return false;
  }

  /** Keeps the node's health key alive on the lease it holds, or puts it on a new lease (see the class). */
  void renewOrGrant(NodeName name) {
    String key = Keys.health(name.value());
    for (int attempt = 0; ; attempt++) {
      Long mine = known.get(name);
      if (mine != null) {
        if (store.keepAlive(mine)) return;
        known.remove(name, mine);
      }
      Optional<KeyValue> seen = store.get(key); // another's, or left on a dead lease (SQLite reaps later)
      if (seen.isPresent()) {
        long held = Long.parseLong(seen.get().text());
        if (store.keepAlive(held)) {
          known.put(name, held);
          return;
        }
      }
      long lease = store.grantLease(ttl);
      byte[] value = Long.toString(lease).getBytes(StandardCharsets.UTF_8);
      if (attempt == 2) { // three races lost in a row: the last word is this one, as a put always was
        store.put(key, value, lease);
      } else if (store.compareAndPut(key, value, seen.map(KeyValue::modRevision).orElse(0L), lease).isEmpty()) {
        store.revoke(lease); // another wrote the key first: renew the lease it holds
        continue;
      }
      known.put(name, lease);
      return;
    }
  }

  /** The node's health key is gone: its lease is not renewed again. */
  void forget(NodeName name) {
    known.remove(name);
  }
}

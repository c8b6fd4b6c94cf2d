package io.berth.manager.docker;

import io.berth.core.id.NodeName;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.manager.fleet.ClusterView;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Container names unique across every manager: {@code /berth/docker/names/NAME} is created with
 * create-if-absent before the engine's create, holds {@code MILLIS NODE ID} once the container is made,
 * and goes when the create fails or the container is removed through a manager. A reservation is stale — and taken by the next create of that
 * name — once its container is gone or renamed (one inspect on its node tells), or, for one whose create
 * never finished or whose node is not ready, after {@link #STALE}. So a container removed on its node
 * directly, or pruned, frees its name at once too. On a store one manager uses there is nothing to
 * coordinate and only the cache's check runs, as it always did.
 */
final class ContainerNames {
  static final String PREFIX = "/berth/docker/names/";
  static final Duration STALE = Duration.ofMinutes(1);
  private final StateStore store;
  private final ClusterView cluster;
  private final Clock clock;

  /** {@code store}: the store several managers share, or null for one manager alone. */
  ContainerNames(StateStore store, ClusterView cluster, Clock clock) {
    this.store = store;
    this.cluster = cluster;
    this.clock = clock;
  }

  /** A name held for one create: its key and the revision that create wrote. */
  record Reserved(String key, long revision) {}

  /** Docker's answer to a name in use, word for word. */
  static BerthException.Conflict inUse(String name) {
    return new BerthException.Conflict("NameInUse", "Conflict. The container name \"/" + name + "\" is already in use by another "
        + "container on the cluster. You have to remove (or rename) that container to be able to reuse that name.");
  }

  /** Holds {@code name} for a create, taking over a stale reservation; the Docker conflict when another holds it. */
  Optional<Reserved> reserve(String name) {
    if (store == null || name == null || name.isEmpty()) return Optional.empty();
    String key = PREFIX + Keys.segment(name);
    byte[] pending = value(null, null);
    long expected = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Long> written = store.compareAndPut(key, pending, expected, StateStore.Lease.NONE);
      if (written.isPresent()) return Optional.of(new Reserved(key, written.get()));
      Optional<KeyValue> held = store.get(key);
      if (held.isPresent() && !stale(name, held.get())) throw inUse(name);
      expected = held.map(KeyValue::modRevision).orElse(0L);
    }
    throw inUse(name);
  }

  /** The create made the container: the reservation names it, so a later check can tell whether it still exists. */
  void created(Optional<Reserved> reserved, NodeName node, String id) {
    reserved.ifPresent(r -> store.compareAndPut(r.key(), value(node, id), r.revision(), StateStore.Lease.NONE));
  }

  /** The create failed: the name is free again (unless another create took the reservation over meanwhile). */
  void release(Optional<Reserved> reserved) {
    reserved.ifPresent(r -> store.compareAndDelete(r.key(), r.revision()));
  }

  /** A container removed through this manager: its name's reservation goes, if it is still that container's. */
  void removed(String name, String id) {
    if (store == null) return;
    String key = PREFIX + Keys.segment(name);
    store.get(key).filter(kv -> kv.text().endsWith(" " + id)).ifPresent(kv -> store.compareAndDelete(key, kv.modRevision()));
  }

  private byte[] value(NodeName node, String id) {
    String text = clock.millis() + (node == null ? "" : " " + node.value() + " " + id);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the reservation's container no longer holds the name anywhere. */
  private boolean stale(String name, KeyValue held) {
    String[] f = held.text().split(" ");
    Instant at;
    try {
      at = Instant.ofEpochMilli(Long.parseLong(f[0]));
    } catch (NumberFormatException e) {
      return true; // not a reservation this version wrote or can read: nothing holds the name by it
    }
    boolean old = !clock.instant().isBefore(at.plus(STALE));
    if (f.length < 3) return old; // a create still running on some manager, or one that died before it finished
    Optional<Node> node = cluster.ready().stream().filter(n -> n.name().value().equals(f[1])).findFirst();
    if (node.isEmpty()) return old;
    cluster.cache().refresh(node.get(), f[2]); // the node's own answer, not a cache that may lag another manager's create
    return !cluster.nameTaken(name, cluster.entries().values());
  }
}

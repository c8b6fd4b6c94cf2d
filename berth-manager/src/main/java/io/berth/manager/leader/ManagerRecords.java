package io.berth.manager.leader;

import io.berth.cluster.Json;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managers' records at {@code /berth/managers/{name}}, each on its manager's lease of the leader
 * TTL, kept alive every ttl/3: a manager's record lives exactly as long as the manager does.
 * A name is claimed with create-if-absent, so two live managers never share one.
 */
public final class ManagerRecords implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagerRecords.class);
  private static final int MAX = 1000;
  private final StateStore store;
  private final Duration ttl;
  private final ReconcileLoop loop;
  private volatile ManagerRecord mine;
  private volatile long lease;
  private LeaseNote note = LeaseNote.NONE;

  public ManagerRecords(StateStore store, Duration ttl) {
    this.store = store;
    this.ttl = ttl;
    this.loop = ReconcileLoop.named("manager-record").every(ttl.dividedBy(3))
        .onFailure(e -> log.warn("manager-record-keepalive-failed: {}", e.getMessage())).build(this::keepAlive);
  }

  /** Notes each lease this manager's record goes on in {@code note}, and ends the previous life it names (see {@link #claim}). */
  public ManagerRecords remembering(LeaseNote note) {
    this.note = note;
    return this;
  }

  /**
   * Claims {@code record.name()}. A record of that name still alive may be this manager's previous
   * life, killed less than a TTL ago. When it is on the lease the {@linkplain #remembering note}
   * names, it is: its lease is revoked, with the leadership it held, so the restart neither waits a
   * TTL for its name nor the cluster a TTL for a leader. Any other record's lease ends within the
   * TTL, so the claim waits that long, then refuses with a sentence saying why.
   */
  public ManagerRecords claim(ManagerRecord record) throws InterruptedException {
    endPreviousLife(record.name());
    lease = store.grantLease(ttl);
    note.write(lease);
    long deadline = System.nanoTime() + ttl.plusSeconds(1).toNanos();
    while (!store.create(Keys.manager(record.name()), Json.bytes(record), lease)) {
      if (System.nanoTime() > deadline) {
        String other = store.get(Keys.manager(record.name())).map(kv -> Json.read(kv.value(), ManagerRecord.class).api()).orElse("?");
        store.revoke(lease);
        throw new IllegalStateException("another manager named '" + record.name() + "' is running (API " + other
            + "): give this one another --name");
      }
      Thread.sleep(200);
    }
    mine = record;
    loop.start();
    return this;
  }

  private void endPreviousLife(String name) {
    var noted = note.read();
    if (noted.isEmpty()) return;
    Optional<KeyValue> record = store.get(Keys.manager(name));
    if (record.isEmpty() || record.get().lease() != noted.getAsLong()) return;
    // Its leader key, if it led: a name is one live manager's, and this one's previous life is dead.
    Optional<KeyValue> led = store.get(Keys.LEADER).filter(kv -> kv.text().equals(name) && kv.lease() != 0);
    led.ifPresent(kv -> store.revoke(kv.lease()));
    store.revoke(noted.getAsLong());
    log.info("manager-previous-life-ended name={}: its record{} released at once, not waited out", name,
        led.isPresent() ? " and leadership" : "");
  }

  /**
   * Takes {@code record.name()} whatever record is there: for the one manager of an embedded store,
   * which its data dir's lock already keeps alone (a killed previous life's record is not waited out).
   */
  public ManagerRecords claimAlone(ManagerRecord record) {
    lease = store.grantLease(ttl);
    store.put(Keys.manager(record.name()), Json.bytes(record), lease);
    mine = record;
    loop.start();
    return this;
  }

  /** Replaces this manager's record (once its servers' ports are known). */
  public void update(ManagerRecord record) {
    mine = record;
    store.put(Keys.manager(record.name()), Json.bytes(record), lease);
  }

  private void keepAlive() {
    if (store.keepAlive(lease)) return;
    // The lease ended (the store was out of reach longer than the TTL): announce this manager again.
    lease = store.grantLease(ttl);
    note.write(lease);
    store.put(Keys.manager(mine.name()), Json.bytes(mine), lease);
    log.info("manager-record-renewed name={}", mine.name());
  }

  /** The live managers' records, by name. */
  public List<ManagerRecord> list() {
    List<ManagerRecord> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.MANAGERS, MAX).items()) out.add(Json.read(kv.value(), ManagerRecord.class));
    return out;
  }

  /** {@code GET /v1/managers}: each record with {@code "leader": true|false}, in the documented field order. */
  public List<Map<String, Object>> view(Optional<String> leader) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ManagerRecord r : list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("api", r.api());
      m.put("cluster", r.cluster());
      m.put("docker", r.docker());
      m.put("leader", leader.map(r.name()::equals).orElse(false));
      m.put("since", r.since() == null ? null : r.since().toString());
      m.put("version", r.version());
      out.add(m);
    }
    return out;
  }

  /** Stops keeping the record alive and removes it. */
  @Override
  public void close() {
    loop.stop();
    if (lease == 0) return;
    try {
      store.revoke(lease);
    } catch (RuntimeException e) {
      log.debug("manager-record-revoke-failed: {}", e.toString());
    }
  }
}

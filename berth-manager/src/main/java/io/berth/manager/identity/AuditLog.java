package io.berth.manager.identity;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: every mutating call (who, what, when, from where, outcome) at
 * {@code /berth/audit/{millis}-{manager}-{seq}}, the newest {@value #KEEP} kept by the leader's housekeeping.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  /** How many entries the leader's housekeeping keeps. */
  public static final int KEEP = 10_000;
  private final StateStore store;
  private final String writer = Long.toHexString(System.nanoTime() & 0xffffff);
  private final AtomicLong seq = new AtomicLong();

  AuditLog(StateStore store) {
    this.store = store;
  }

  void record(AuditEntry e) {
    String key = Keys.AUDIT + String.format("%016d-%s-%06d", e.at().toEpochMilli(), writer, seq.incrementAndGet() % 1_000_000);
    store.put(key, Json.bytes(e));
    log.info("audit user={} via={} from={} action=\"{}\" target={} status={}", e.user(), e.via(), e.from(), e.action(), e.target(), e.status());
  }

  /** The newest {@code limit} entries matching, oldest first. */
  public List<AuditEntry> read(String user, Instant since, int limit) {
    String from = since == null ? Keys.AUDIT : Keys.AUDIT + String.format("%016d", since.toEpochMilli());
    List<AuditEntry> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.AUDIT, 0).items()) {
      if (kv.key().compareTo(from) < 0) continue;
      AuditEntry e = Json.read(kv.value(), AuditEntry.class);
      if (user == null || user.equals(e.user())) out.add(e);
    }
    return out.subList(Math.max(0, out.size() - limit), out.size());
  }
}

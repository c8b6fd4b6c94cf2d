package io.berth.manager.leader;

import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.Keys;
import io.berth.manager.activity.Activity;
import io.berth.manager.identity.AuditLog;
import io.berth.store.KeyValue;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's housekeeping: trims the activity log to {@link Activity#KEEP} and the audit log to
 * {@link AuditLog#KEEP} entries, every {@code period} and when signalled. Only the leader passes,
 * deleting through its fenced store, so two managers never trim at once.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private final Singletons leader;
  private final ReconcileLoop loop;
  private final int eventsKept;
  private final int auditKept;

  public Housekeeping(Singletons leader, Duration period) {
    this(leader, period, Activity.KEEP, AuditLog.KEEP);
  }

  Housekeeping(Singletons leader, Duration period, int eventsKept, int auditKept) {
    this.leader = leader;
    this.eventsKept = eventsKept;
    this.auditKept = auditKept;
    this.loop = ReconcileLoop.named("housekeeping").every(period).gate(leader.gate())
        .onFailure(e -> log.warn("housekeeping-failed: {}", e.toString())).build(this::pass);
  }

  public Housekeeping start() {
    loop.start();
    return this;
  }

  /** Asks for a pass soon (on the leader). */
  public void signal() {
    loop.signal();
  }

  /** One pass: both logs trimmed; returns how many entries went. */
  int pass() {
    return trim(Keys.EVENTS, eventsKept) + trim(Keys.AUDIT, auditKept);
  }

  private int trim(String prefix, int keep) {
    List<KeyValue> all = leader.store().range(prefix, 0).items();
    int extra = all.size() - keep;
    for (int i = 0; i < extra; i++) leader.store().delete(all.get(i).key());
    if (extra > 0) log.debug("housekeeping-trimmed prefix={} deleted={}", prefix, extra);
    return Math.max(0, extra);
  }

  @Override
  public void close() {
    loop.stop();
  }
}

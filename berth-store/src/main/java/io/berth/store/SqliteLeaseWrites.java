package io.berth.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite store's lease writes: grants, revocations, the reaper, and renewals written in groups
 * ({@link SqliteRenewals}), each renewal judged at the moment it reached the store.
 */
final class SqliteLeaseWrites {
  private static final Logger log = LoggerFactory.getLogger(SqliteLeaseWrites.class);
  private final SqliteStateStore store;
  private final SqliteWriter writer;
  private final SqliteLeases leases;
  private final SqliteRenewals renewals;
  private final LongSupplier millis;

  SqliteLeaseWrites(SqliteStateStore store, SqliteWriter writer, SqliteLeases leases, LongSupplier millis) {
    this.store = store;
    this.writer = writer;
    this.leases = leases;
    this.renewals = new SqliteRenewals(millis);
    this.millis = millis;
  }

  long grant(Duration ttl) {
    if (ttl.toMillis() <= 0) {
      throw new IllegalArgumentException("lease TTL must be positive: " + ttl);
    }
    return store.write("grant a lease", events -> leases.grant(ttl.toMillis(), millis.getAsLong()), true);
  }

  /**
   * Stamped on arrival, then written with every other renewal waiting by whoever holds the write lock
   * next: this caller, unless one before it took this renewal along. The callers after the first
   * only take the lock to learn their answer, which costs no SQL.
   */
  boolean keepAlive(long lease) {
    store.ensureOpen();
    SqliteRenewals.Renewal mine = renewals.arrive(lease);
    store.lock.lock();
    try {
      if (!mine.written()) renew(renewals.takeAll().renewals());
    } finally {
      store.lock.unlock();
    }
    return mine.alive();
  }

  void revoke(long lease) {
    store.write("revoke lease " + lease, events -> events.addAll(writer.revoke(lease, millis.getAsLong())), true);
  }

  /**
   * Deletes the keys of expired leases, each deletion a revision that watches see; run by the housekeeper. The
   * renewals still waiting are written first, so a lease whose renewal arrived in time never expires here.
   */
  void reapExpired() {
    store.write("reap expired leases", events -> {
      SqliteRenewals.Due due = renewals.takeAll();
      long now = due.nowMs(); // read with the take: every renewal not taken arrived at or after it
      if (!renew(due.renewals()) || leases.expired(now).isEmpty()) {
        return null; // the common case: no transaction, no write lock in SQLite
      }
      return writer.inTransaction(() -> {
        for (long lease : leases.expired(now)) {
          List<WatchEvent> deleted = writer.revoke(lease, now);
          log.info("lease-expired lease={} keys={}", lease, deleted.size());
          events.addAll(deleted);
        }
        return null;
      });
    }, false);
  }

  /** Writes {@code due} in one transaction (under the write lock); false, each renewal told why, when it failed. */
  private boolean renew(List<SqliteRenewals.Renewal> due) {
    if (due.isEmpty()) return true;
    try {
      store.ensureOpen();
      boolean[] alive = new boolean[due.size()];
      writer.inTransaction(() -> {
        for (int i = 0; i < alive.length; i++) alive[i] = leases.renew(due.get(i).lease, due.get(i).arrivedMs);
        return null;
      });
      for (int i = 0; i < alive.length; i++) due.get(i).answer(alive[i]); // only once committed
      return true;
    } catch (SQLException e) {
      StoreException failure = store.failure("renew " + due.size() + " leases", e);
      due.forEach(r -> r.fail(failure));
    } catch (RuntimeException e) {
      due.forEach(r -> r.fail(e));
    } finally {
      // Every taken renewal is answered, whatever was thrown: its caller waits for nothing else.
      for (SqliteRenewals.Renewal r : due) {
        if (!r.written()) r.fail(new StoreException("lease " + r.lease + " was not renewed: the write failed"));
      }
    }
    return false;
  }
}

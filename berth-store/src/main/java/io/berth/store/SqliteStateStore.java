package io.berth.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file in WAL mode, etcd's model on top (a global revision, a
 * history table for watches, leases reaped in the background), like k3s's kine.
 *
 * <p>Writes are serialised twice: by {@link #lock} in this JVM and by {@code BEGIN IMMEDIATE}
 * in SQLite, so a second process on the same file waits instead of corrupting revisions. Watches
 * are in-process: they see this process's writes live and anyone's writes on replay. Lease
 * renewals are written in groups ({@link SqliteRenewals}), each judged at the moment it arrived.
 */
final class SqliteStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(SqliteStateStore.class);

  private final SqliteSchema schema;
  private final SqliteOptions options;
  final ReentrantLock lock = new ReentrantLock(); // package-private: tests hold it to play a slow write
  private final LongSupplier millis;
  private final SqliteWriter writer;
  private final SqliteLeaseWrites leaseWrites;
  private final SqliteReaders readers;
  private final SqliteWatches watches = new SqliteWatches();
  private final SqliteKeyWrites keyWrites;
  private final Thread housekeeper;
  private volatile boolean closed;

  private SqliteStateStore(SqliteSchema schema, SqliteOptions options, Connection writerConn, LongSupplier millis) throws SQLException {
    this.schema = schema;
    this.options = options;
    this.millis = millis;
    this.writer = new SqliteWriter(writerConn);
    this.keyWrites = new SqliteKeyWrites(this, writer);
    this.leaseWrites = new SqliteLeaseWrites(this, writer, new SqliteLeases(writerConn), millis);
    this.readers = new SqliteReaders(schema);
    this.housekeeper = Thread.ofPlatform().daemon().name("berth-store-housekeeper")
        .start(new SqliteHousekeeper(this, options, schema.file()));
  }

  static SqliteStateStore open(Path file, SqliteOptions options) {
    return open(file, options, System::currentTimeMillis);
  }

  /** A store whose leases live by {@code millis} (tests pass a clock they move). */
  static SqliteStateStore open(Path file, SqliteOptions options, LongSupplier millis) {
    SqliteSchema.checkDirectory(file);
    SqliteSchema schema = new SqliteSchema(file);
    Connection conn = null;
    try {
      conn = schema.open();
      schema.initialise(conn, millis.getAsLong());
      return new SqliteStateStore(schema, options, conn, millis);
    } catch (SQLException e) {
      if (conn != null) {
        try {
          conn.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new StoreException("cannot open store at " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return Optional.ofNullable(read("read " + key, r -> r.get(key), false));
  }

  @Override
  public Page range(String prefix, int limit) {
    long max = limit <= 0 ? Long.MAX_VALUE : limit;
    return read("read " + prefix, reader -> {
      long revision = reader.meta("revision");
      List<KeyValue> items = reader.range(prefix, max == Long.MAX_VALUE ? -1 : max + 1);
      boolean more = items.size() > max;
      return new Page(more ? items.subList(0, (int) max) : items, revision, more);
    }, true);
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    return keyWrites.put(key, value, lease, null);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return keyWrites.compareAndPut(key, value, expectedModRevision, lease, null);
  }

  @Override
  public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    return keyWrites.compareAndPutEach(entries, null);
  }

  @Override
  public long putAll(Map<String, byte[]> values, IntConsumer written) {
    long revision = keyWrites.putAll(values);
    written.accept(values.size());
    return revision;
  }

  @Override
  public boolean delete(String key) {
    return keyWrites.delete(key, null);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return keyWrites.compareAndDelete(key, expectedModRevision, null);
  }

  @Override
  public StateStore fenced(Fence fence) {
    return new FencedStateStore(this, keyWrites, fence);
  }

  @Override
  public long grantLease(Duration ttl) {
    return leaseWrites.grant(ttl);
  }

  @Override
  public boolean keepAlive(long lease) {
    return leaseWrites.keepAlive(lease);
  }

  @Override
  public void revoke(long lease) {
    leaseWrites.revoke(lease);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    WatchDelivery delivery = new WatchDelivery(prefix, consumer, () -> {});
    // Registered under the write lock: every change after `registered` reaches the queue live,
    // every change up to it is in the history table. Replay covers exactly (from, registered].
    long registered = write("watch " + prefix, events -> {
      watches.add(delivery);
      return writer.meta("revision");
    }, false);
    List<WatchEvent> replay = List.of();
    if (fromRevision > 0 && fromRevision <= registered) {
      try {
        replay = read("replay " + prefix, reader -> {
          long compacted = reader.meta("compacted");
          if (fromRevision <= compacted) {
            throw new CompactedException(fromRevision, compacted);
          }
          return reader.history(prefix, fromRevision, registered);
        }, true);
      } catch (RuntimeException e) {
        watches.remove(delivery);
        throw e;
      }
    }
    delivery.start(replay);
    return () -> {
      watches.remove(delivery);
      delivery.close();
    };
  }

  @Override
  public long revision() {
    return read("read the revision", r -> r.meta("revision"), false);
  }

  /** Compacts history below {@code revision}, as etcd's compact does; for tests and tools. */
  void compact(long revision) {
    write("compact", events -> writer.compact(revision), true);
  }

  /** Write transactions committed by this handle (tests: renewals waiting together cost one). */
  long commits() {
    lock.lock();
    try {
      return writer.commits();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    housekeeper.interrupt();
    watches.closeAll();
    try {
      housekeeper.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      readers.close();
      writer.close();
    } catch (SQLException e) {
      log.warn("store-close-failed file={}: {}", schema.file(), e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  /** Drops history beyond what the options keep; run by the housekeeper. */
  void compactHistory() {
    long cutoff = System.currentTimeMillis() - options.keepFor().toMillis();
    write("compact", events -> writer.compact(writer.compactionTarget(options.keepRevisions(), cutoff)), true);
  }

  /** Deletes the keys of expired leases, each deletion a revision that watches see; run by the housekeeper. */
  void reapExpiredLeases() {
    leaseWrites.reapExpired();
  }

  /** A write's body: returns its result and adds the changes it made to {@code events}. */
  interface WriteBody<T> {
    T run(List<WatchEvent> events) throws SQLException;
  }

  /** A write that commits only while {@code fence} holds (null: always), checked in its transaction. */
  <T> T write(String what, Fence fence, WriteBody<T> body) {
    return write(what, events -> {
      writer.checkFence(fence, millis.getAsLong());
      return body.run(events);
    }, true);
  }

  /**
   * Runs {@code body} under the write lock and publishes its changes to the watches before
   * unlocking, so that watches see changes in revision order.
   */
  <T> T write(String what, WriteBody<T> body, boolean transaction) {
    lock.lock();
    try {
      ensureOpen();
      List<WatchEvent> events = new ArrayList<>(1);
      T result = transaction ? writer.inTransaction(() -> body.run(events)) : body.run(events);
      watches.publish(events);
      return result;
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(String what, SqliteReaders.Read<T> read, boolean snapshot) {
    ensureOpen();
    try {
      return snapshot ? readers.snapshot(read) : readers.read(read);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new StoreException("the store at " + schema.file() + " is closed");
    }
  }

  StoreException failure(String what, SQLException e) {
    return new StoreException("cannot " + what + " in the store at " + schema.file() + ": " + e.getMessage(), e);
  }
}

package io.berth.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The one small key-value interface every manager keeps its state in: etcd's model (a global
 * revision bumped by every write, leases, watches that replay history), implemented on SQLite
 * for one manager and on etcd for several. Only managers open a store.
 *
 * <p>Every write returns or is tagged with the store revision it committed at. Keys are plain
 * strings ({@code /berth/nodes/n1}); values are opaque bytes (the manager writes JSON).
 *
 * <p>A call fails with a {@link StoreException} in bounded time, never hangs; when etcd has lost
 * its quorum the message is {@link #health()}'s sentence. A write that failed that way, or timed
 * out, may still commit once the quorum returns, as in etcd itself: read before acting on it.
 */
public interface StateStore extends AutoCloseable {

  /** Returns the key's current value, if any. */
  Optional<KeyValue> get(String key);

  /**
   * Returns up to {@code limit} keys starting with {@code prefix} ({@code 0} means no limit), in
   * key order, and the revision read at.
   */
  Page range(String prefix, int limit);

  /**
   * Returns every key starting with {@code prefix}, however many, all read at one revision: what
   * a backup reads. This default is one {@link #range} (SQLite reads it in one transaction); etcd
   * reads it page by page at the first page's revision, as one answer must stay under gRPC's
   * message limit.
   */
  default Page snapshot(String prefix) {
    return range(prefix, 0);
  }

  /** Writes the key unconditionally and returns the new revision. */
  default long put(String key, byte[] value) {
    return put(key, value, Lease.NONE);
  }

  /** Writes the key, attached to {@code lease} (or {@link Lease#NONE}), and returns the new revision. */
  long put(String key, byte[] value, long lease);

  /**
   * Writes the key only if its current modification revision is {@code expectedModRevision}
   * ({@code 0} means "only if absent"). Returns the new revision, or empty when the
   * condition did not hold (nothing was written).
   */
  Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease);

  /** Creates the key only if it does not exist; true when it was created. */
  default boolean create(String key, byte[] value, long lease) {
    return compareAndPut(key, value, 0, lease).isPresent();
  }

  /**
   * Writes every key unleased, in as few transactions as the store allows, and returns the last
   * revision: a restore's bulk write. SQLite writes them in one transaction (all or nothing); etcd
   * in one transaction per {@value #MAX_TXN_OPS} keys, its default limit. {@code written} is told
   * how many keys are written after each transaction. This default writes them one by one, for
   * views that add nothing to it.
   */
  default long putAll(Map<String, byte[]> values, IntConsumer written) {
    long revision = revision();
    int n = 0;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      revision = put(e.getKey(), e.getValue());
      written.accept(++n);
    }
    return revision;
  }

  /**
   * Puts that are written only if {@code key}'s modification revision is {@code expectedModRevision}
   * ({@code 0}: only if absent) when their turn comes: one claim of {@link #compareAndPutEach}. {@code key}
   * is one of the puts (the record claimed), written first; all are unleased.
   */
  record ConditionalPuts(String key, long expectedModRevision, Map<String, byte[]> puts) {
    public ConditionalPuts {
      if (!puts.containsKey(key)) throw new IllegalArgumentException("conditional puts on " + key + " must write " + key);
      puts = Collections.unmodifiableMap(new LinkedHashMap<>(puts));
    }

    /** One conditional write of a claimed record, its revision or empty when the condition failed. */
    public interface Claim {
      Optional<Long> write(String key, byte[] value, long expectedModRevision);
    }

    /** One unconditional write, its revision. */
    public interface Put {
      long write(String key, byte[] value);
    }

    /**
     * {@link StateStore#compareAndPutEach} one write at a time: each entry's claim, then, when it held,
     * the entry's other puts. For stores and views with no batch of their own.
     */
    public static List<Optional<Long>> writeEach(List<ConditionalPuts> entries, Claim claim, Put put) {
      List<Optional<Long>> out = new ArrayList<>(entries.size());
      for (ConditionalPuts e : entries) {
        Optional<Long> written = claim.write(e.key(), e.puts().get(e.key()), e.expectedModRevision());
        if (written.isPresent()) {
          long last = written.get();
          for (Map.Entry<String, byte[]> p : e.puts().entrySet()) {
            if (!p.getKey().equals(e.key())) last = put.write(p.getKey(), p.getValue());
          }
          written = Optional.of(last);
        }
        out.add(written);
      }
      return out;
    }
  }

  /**
   * Writes each entry whose condition holds and skips each whose condition does not, in order, exactly
   * as one {@link #compareAndPut} of its condition followed by its other puts would: an entry sees the
   * writes of the entries before it, and one entry's failed condition leaves the others alone. Returns,
   * per entry, the revision of its last write, or empty when its condition failed. SQLite writes the
   * whole list in one transaction (each entry's puts commit together); this default one write at a
   * time, for views that add nothing to it. A fenced view's fence holds for the whole list or none.
   */
  default List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    return ConditionalPuts.writeEach(entries, (k, v, rev) -> compareAndPut(k, v, rev, Lease.NONE), this::put);
  }

  /** etcd's default {@code --max-txn-ops}: the most operations one transaction may hold. */
  int MAX_TXN_OPS = 128;

  /** Deletes the key; true when it existed. */
  boolean delete(String key);

  /** Deletes the key only if its modification revision is still {@code expectedModRevision}. */
  boolean compareAndDelete(String key, long expectedModRevision);

  /** Grants a lease that expires {@code ttl} after its last keep-alive; returns its id (never 0). */
  long grantLease(Duration ttl);

  /** Renews the lease; false when it has already expired or was revoked. */
  boolean keepAlive(long lease);

  /** Revokes the lease, deleting every key attached to it. */
  void revoke(long lease);

  /**
   * Streams every change under {@code prefix} with a revision of at least {@code fromRevision}
   * ({@code 0} means "from now"): first the history still kept, in revision order, then live
   * changes. The consumer is called on one thread per watch, in order. Throws
   * {@link CompactedException} when history older than {@code fromRevision} is gone.
   */
  Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer);

  /** The store's current revision. */
  long revision();

  /**
   * A view of this store whose every write (put, compareAndPut, create, delete,
   * compareAndDelete) commits only if {@code fence.key()} still exists with exactly
   * {@code fence.createRevision()}, checked in the same transaction as the write. When the fence
   * does not hold, nothing is written and the write throws {@link FencedOutException}; when it
   * holds but the write's own condition fails, the write answers as the unfenced one does. Reads,
   * leases, watches and {@link #revision()} pass straight through; closing the view leaves the
   * store open.
   */
  StateStore fenced(Fence fence);

  /**
   * Whether the store can take writes: how many of its members answer. This default answers for
   * a store of one member (SQLite): healthy while it can read its revision.
   */
  default StoreHealth health() {
    try {
      revision();
      return StoreHealth.of(1, 1);
    } catch (StoreException e) {
      StoreHealth down = StoreHealth.of(0, 1);
      return new StoreHealth(false, 0, 1, down.message() + " (" + e.getMessage() + ")");
    }
  }

  /** Releases connections and stops background work. */
  @Override
  void close();

  /** Lease constants. */
  final class Lease {
    /** No lease: the key lives until deleted. */
    public static final long NONE = 0;

    private Lease() {}
  }
}

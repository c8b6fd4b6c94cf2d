package io.berth.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The store on an etcd cluster (v3 API through jetcd), for several managers. Every call waits at
 * most {@link EtcdCalls#TIMEOUT_SECONDS}; revisions, leases and watches are etcd's own.
 */
final class EtcdStateStore implements StateStore, FencedStateStore.Writes {
  private final Client client;
  private final KV kv;
  private final EtcdCalls calls;
  private final EtcdWatches watches;
  private final EtcdHealth health;
  private final EtcdBulk bulk;
  private volatile boolean closed;

  /** A store on a client that answered already ({@link EtcdOpen#connect}); {@code names} name the members in messages. */
  EtcdStateStore(Client client, EtcdHealth health, String names) {
    this.client = client;
    this.kv = client.getKVClient();
    this.health = health;
    this.calls = new EtcdCalls(names, health::recent);
    this.watches = new EtcdWatches(client, calls);
    this.bulk = new EtcdBulk(this::kv, calls);
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
        kv.getCreateRevision(), kv.getModRevision(), kv.getLease());
  }

  @Override
  public Optional<KeyValue> get(String key) {
    GetResponse response = calls.awaitRepeatable("read " + key, () -> kv().get(bytes(key)));
    return response.getKvs().stream().findFirst().map(EtcdStateStore::keyValue);
  }

  @Override
  public Page range(String prefix, int limit) {
    GetOption option = GetOption.builder().isPrefix(true).withLimit(Math.max(limit, 0))
        .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
    GetResponse response = calls.awaitRepeatable("read " + prefix, () -> kv().get(bytes(prefix), option));
    List<KeyValue> items = response.getKvs().stream().map(EtcdStateStore::keyValue).toList();
    return new Page(items, response.getHeader().getRevision(), response.isMore());
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    return put(key, value, lease, null);
  }

  @Override
  public long put(String key, byte[] value, long lease, Fence fence) {
    try {
      return txn("write " + key, fence, List.of(), Op.put(bytes(key), ByteSequence.from(value), putOption(lease)))
          .orElseThrow().getHeader().getRevision();
    } catch (StoreException e) {
      throw leaseNotFound(key, lease, e);
    }
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return compareAndPut(key, value, expectedModRevision, lease, null);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease, Fence fence) {
    ByteSequence k = bytes(key);
    // A missing key has modRevision 0 too, but createRevision says "absent" in etcd's own words.
    Cmp condition = expectedModRevision == 0
        ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
        : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    try {
      return txn("write " + key, fence, List.of(condition), Op.put(k, ByteSequence.from(value), putOption(lease)))
          .map(response -> response.getHeader().getRevision());
    } catch (StoreException e) {
      throw leaseNotFound(key, lease, e);
    }
  }

  @Override
  public Page snapshot(String prefix) {
    return bulk.snapshot(prefix);
  }

  @Override
  public long putAll(Map<String, byte[]> values, IntConsumer written) {
    return bulk.putAll(values, written);
  }

  @Override
  public boolean delete(String key) {
    return delete(key, null);
  }

  @Override
  public boolean delete(String key, Fence fence) {
    return txn("delete " + key, fence, List.of(), Op.delete(bytes(key), DeleteOption.DEFAULT))
        .orElseThrow().getDeleteResponses().getFirst().getDeleted() > 0;
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return compareAndDelete(key, expectedModRevision, null);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision, Fence fence) {
    ByteSequence k = bytes(key);
    List<Cmp> conditions = List.of(new Cmp(k, Cmp.Op.GREATER, CmpTarget.createRevision(0)),
        new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)));
    return txn("delete " + key, fence, conditions, Op.delete(k, DeleteOption.DEFAULT)).isPresent();
  }

  /**
   * Commits {@code then} in one transaction if the fence (when not null) and every condition
   * hold. Empty when a condition failed; {@link FencedOutException} when the fence did, which
   * the transaction's else branch tells apart by reading the fence key in the same revision.
   */
  private Optional<TxnResponse> txn(String what, Fence fence, List<Cmp> conditions, Op then) {
    List<Cmp> all = new ArrayList<>(conditions);
    Txn txn = kv().txn();
    if (fence != null) {
      all.add(new Cmp(bytes(fence.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(fence.createRevision())));
    }
    txn = txn.If(all.toArray(Cmp[]::new)).Then(then);
    if (fence != null) {
      txn = txn.Else(Op.get(bytes(fence.key()), GetOption.DEFAULT));
    }
    TxnResponse response = calls.await(what, txn.commit());
    if (response.isSucceeded()) {
      return Optional.of(response);
    }
    if (fence != null && !holds(fence, response.getGetResponses().getFirst())) {
      throw new FencedOutException(fence);
    }
    return Optional.empty();
  }

  private static boolean holds(Fence fence, GetResponse leader) {
    return leader.getKvs().stream().anyMatch(kv -> kv.getCreateRevision() == fence.createRevision());
  }

  @Override
  public StateStore fenced(Fence fence) {
    return FencedStateStore.of(this, fence);
  }

  @Override
  public long grantLease(Duration ttl) {
    if (ttl.toMillis() <= 0) {
      throw new IllegalArgumentException("lease TTL must be positive: " + ttl);
    }
    // etcd counts in whole seconds and raises anything below its minimum (2 s by default).
    long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
    ensureOpen();
    return calls.await("grant a lease", client.getLeaseClient().grant(seconds)).getID();
  }

  @Override
  public boolean keepAlive(long lease) {
    ensureOpen();
    try {
      return calls.awaitRepeatable("renew lease " + lease, () -> client.getLeaseClient().keepAliveOnce(lease)).getTTL() > 0;
    } catch (StoreException e) {
      if (EtcdCalls.isLeaseNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void revoke(long lease) {
    ensureOpen();
    try {
      calls.await("revoke lease " + lease, client.getLeaseClient().revoke(lease));
    } catch (StoreException e) {
      if (!EtcdCalls.isLeaseNotFound(e)) {
        throw e; // an unknown lease has nothing left to revoke
      }
    }
  }

  @Override
  public Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    ensureOpen();
    return watches.watch(prefix, fromRevision, consumer);
  }

  @Override
  public long revision() {
    return calls.awaitRepeatable("read the revision",
        () -> kv().get(bytes("/"), GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
  }

  @Override
  public StoreHealth health() {
    ensureOpen();
    return health.check();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watches.close();
    health.close();
    client.close();
  }

  private KV kv() {
    ensureOpen();
    return kv;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("the store at etcd " + calls.endpoints() + " is closed");
    }
  }

  private static PutOption putOption(long lease) {
    return lease == Lease.NONE ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
  }

  private static StoreException leaseNotFound(String key, long lease, StoreException e) {
    if (lease != Lease.NONE && EtcdCalls.isLeaseNotFound(e)) {
      return new StoreException("cannot write " + key + ": lease " + lease + " does not exist (it expired or was revoked)");
    }
    return e;
  }
}

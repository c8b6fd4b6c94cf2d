package io.berth.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The store on an etcd cluster (v3 API through jetcd), for several managers. Every call waits at
 * most {@link EtcdCalls#TIMEOUT_SECONDS}; revisions, leases and watches are etcd's own.
 */
final class EtcdStateStore implements StateStore {
  private final Client client;
  private final KV kv;
  private final EtcdCalls calls;
  private final EtcdWatches watches;
  private volatile boolean closed;

  private EtcdStateStore(Client client, EtcdCalls calls) {
    this.client = client;
    this.kv = client.getKVClient();
    this.calls = calls;
    this.watches = new EtcdWatches(client, calls);
  }

  /** Connects and makes one call, so that an unreachable etcd fails here and not at first use. */
  static EtcdStateStore open(List<String> endpoints) {
    String names = String.join(",", endpoints);
    Client client = Client.builder()
        .endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    try {
      client.getKVClient().get(bytes("/berth/"), GetOption.builder().withCountOnly(true).build()).get(3, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      client.close();
      throw new StoreException("cannot reach etcd at " + names + ": no answer within 3 s");
    } catch (ExecutionException e) {
      client.close();
      throw new StoreException("cannot reach etcd at " + names + ": " + EtcdCalls.message(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while connecting to etcd at " + names, e);
    }
    return new EtcdStateStore(client, new EtcdCalls(names));
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
    GetResponse response = calls.await("read " + key, kv().get(bytes(key)));
    return response.getKvs().stream().findFirst().map(EtcdStateStore::keyValue);
  }

  @Override
  public Page range(String prefix, int limit) {
    GetOption option = GetOption.builder().isPrefix(true).withLimit(Math.max(limit, 0))
        .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
    GetResponse response = calls.await("read " + prefix, kv().get(bytes(prefix), option));
    List<KeyValue> items = response.getKvs().stream().map(EtcdStateStore::keyValue).toList();
    return new Page(items, response.getHeader().getRevision(), response.isMore());
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    try {
      return calls.await("write " + key, kv().put(bytes(key), ByteSequence.from(value), putOption(lease)))
          .getHeader().getRevision();
    } catch (StoreException e) {
      throw leaseNotFound(key, lease, e);
    }
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    ByteSequence k = bytes(key);
    // A missing key has modRevision 0 too, but createRevision says "absent" in etcd's own words.
    Cmp condition = expectedModRevision == 0
        ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
        : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
    try {
      TxnResponse response = calls.await("write " + key,
          kv().txn().If(condition).Then(Op.put(k, ByteSequence.from(value), putOption(lease))).commit());
      return response.isSucceeded() ? Optional.of(response.getHeader().getRevision()) : Optional.empty();
    } catch (StoreException e) {
      throw leaseNotFound(key, lease, e);
    }
  }

  @Override
  public boolean delete(String key) {
    return calls.await("delete " + key, kv().delete(bytes(key))).getDeleted() > 0;
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    ByteSequence k = bytes(key);
    TxnResponse response = calls.await("delete " + key, kv().txn()
        .If(new Cmp(k, Cmp.Op.GREATER, CmpTarget.createRevision(0)),
            new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
        .Then(Op.delete(k, DeleteOption.DEFAULT))
        .commit());
    return response.isSucceeded();
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
      return calls.await("renew lease " + lease, client.getLeaseClient().keepAliveOnce(lease)).getTTL() > 0;
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
    return calls.await("read the revision",
        kv().get(bytes("/"), GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watches.close();
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

package io.berth.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The etcd store's bulk work, for backups and restores: every key of a prefix read at one
 * revision page by page (one answer must stay under gRPC's 4 MiB message limit, and a backup may
 * be larger), and many keys written in transactions of at most {@link StateStore#MAX_TXN_OPS}.
 */
final class EtcdBulk {
  static final int PAGE = 500;
  private final Supplier<KV> kv;
  private final EtcdCalls calls;
  private final Runnable betweenPages;

  EtcdBulk(Supplier<KV> kv, EtcdCalls calls) {
    this(kv, calls, () -> {});
  }

  /** {@code betweenPages} runs after every page but the last: a test writes there to prove the pages are one moment. */
  EtcdBulk(Supplier<KV> kv, EtcdCalls calls, Runnable betweenPages) {
    this.kv = kv;
    this.calls = calls;
    this.betweenPages = betweenPages;
  }

  /** Every key under {@code prefix} at the revision of the first page. */
  Page snapshot(String prefix) {
    ByteSequence end = ByteSequence.from(prefixEnd(EtcdStateStore.bytes(prefix).getBytes()));
    List<KeyValue> all = new ArrayList<>();
    long revision = 0;
    ByteSequence from = EtcdStateStore.bytes(prefix);
    while (true) {
      GetOption.Builder option = GetOption.builder().withRange(end).withLimit(PAGE)
          .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND);
      if (revision != 0) {
        option.withRevision(revision); // later pages at the first one's revision: one moment
      }
      ByteSequence start = from;
      GetResponse page = calls.awaitRepeatable("read " + prefix, () -> kv.get().get(start, option.build()));
      if (revision == 0) {
        revision = page.getHeader().getRevision();
      }
      page.getKvs().forEach(k -> all.add(EtcdStateStore.keyValue(k)));
      if (!page.isMore() || page.getKvs().isEmpty()) {
        return new Page(all, revision, false);
      }
      betweenPages.run();
      byte[] last = page.getKvs().getLast().getKey().getBytes();
      from = ByteSequence.from(Arrays.copyOf(last, last.length + 1)); // the least key after the last one read
    }
  }

  /** The first key after every key that starts with {@code prefix}, as etcd's range end. */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0}; // all 0xff: to the end of the keyspace
  }

  /** Writes every key unleased, {@link StateStore#MAX_TXN_OPS} to a transaction, telling {@code written} after each; returns the last revision. */
  long putAll(Map<String, byte[]> values, IntConsumer written) {
    long revision = 0;
    int done = 0;
    List<Op> batch = new ArrayList<>(StateStore.MAX_TXN_OPS);
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      batch.add(Op.put(EtcdStateStore.bytes(e.getKey()), ByteSequence.from(e.getValue()), PutOption.DEFAULT));
      if (batch.size() == StateStore.MAX_TXN_OPS || done + batch.size() == values.size()) {
        done += batch.size();
        revision = commit(batch);
        written.accept(done);
      }
    }
    return revision;
  }

  private long commit(List<Op> batch) {
    TxnResponse response = calls.await("write " + batch.size() + " keys", kv.get().txn().Then(batch.toArray(Op[]::new)).commit());
    batch.clear();
    return response.getHeader().getRevision();
  }
}

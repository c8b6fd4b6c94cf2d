package io.berth.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The key-value half of {@link StateStoreContract}: reads, writes, compare-and-set, deletes.
 * Each test works under its own key prefix, so one backing store may serve all tests.
 */
public abstract class StateStoreKeyValueContract {
  protected StateStore store;
  protected String p;

  /** Opens a (new handle on the) store under test. */
  protected abstract StateStore openStore();

  /** Drops history older than {@code revision}, as etcd's compact does. */
  protected abstract void compact(StateStore store, long revision);

  /** The longest a lease of {@code ttl} may take to expire and have its keys removed. */
  protected Duration expiryBound(Duration ttl) {
    return ttl.plus(Duration.ofSeconds(4));
  }

  @BeforeEach
  void openStoreAndPrefix(TestInfo test) {
    store = openStore();
    p = "/contract/" + test.getTestMethod().orElseThrow().getName() + "/" + System.nanoTime() + "/";
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void getOfMissingKeyIsEmpty() {
    assertThat(store.get(p + "missing")).isEmpty();
  }

  @Test
  void putThenGetReturnsValueAndRevisions() {
    long rev = store.put(p + "a", bytes("one"));

    KeyValue kv = store.get(p + "a").orElseThrow();
    assertThat(kv.key()).isEqualTo(p + "a");
    assertThat(kv.text()).isEqualTo("one");
    assertThat(kv.createRevision()).isEqualTo(rev);
    assertThat(kv.modRevision()).isEqualTo(rev);
    assertThat(kv.lease()).isZero();
  }

  @Test
  void everyWriteBumpsTheRevision() {
    long r1 = store.put(p + "a", bytes("1"));
    long r2 = store.put(p + "b", bytes("2"));
    long r3 = store.put(p + "a", bytes("3"));
    assertThat(r1).isPositive();
    assertThat(r2).isGreaterThan(r1);
    assertThat(r3).isGreaterThan(r2);
    assertThat(store.revision()).isGreaterThanOrEqualTo(r3);
    store.delete(p + "b");
    assertThat(store.revision()).isGreaterThan(r3);
  }

  @Test
  void overwriteKeepsCreateRevisionAndMovesModRevision() {
    long created = store.put(p + "a", bytes("1"));
    long modified = store.put(p + "a", bytes("2"));

    KeyValue kv = store.get(p + "a").orElseThrow();
    assertThat(kv.createRevision()).isEqualTo(created);
    assertThat(kv.modRevision()).isEqualTo(modified);
    assertThat(kv.text()).isEqualTo("2");
  }

  @Test
  void rangeReturnsPrefixInKeyOrderUpToLimit() {
    store.put(p + "c", bytes("3"));
    store.put(p + "a", bytes("1"));
    store.put(p + "b", bytes("2"));
    store.put(p.substring(0, p.length() - 1) + "x", bytes("outside"));
    long last = store.put(p + "d", bytes("4"));

    Page first = store.range(p, 2);
    assertThat(first.items()).extracting(KeyValue::key).containsExactly(p + "a", p + "b");
    assertThat(first.more()).isTrue();
    assertThat(first.revision()).isGreaterThanOrEqualTo(last);

    Page all = store.range(p, 4);
    assertThat(all.items()).extracting(KeyValue::text).containsExactly("1", "2", "3", "4");
    assertThat(all.more()).isFalse();
  }

  @Test
  void rangeWithoutLimitReturnsEverythingUnderThePrefix() {
    for (int i = 0; i < 12; i++) {
      store.put(p + String.format("%02d", i), bytes("v" + i));
    }
    Page page = store.range(p, 0);
    assertThat(page.items()).hasSize(12);
    assertThat(page.more()).isFalse();
    assertThat(store.range(p + "nothing/", 10).items()).isEmpty();
  }

  @Test
  void compareAndPutWritesOnlyOnMatchingModRevision() {
    long rev = store.put(p + "a", bytes("1"));

    Optional<Long> ok = store.compareAndPut(p + "a", bytes("2"), rev, StateStore.Lease.NONE);
    assertThat(ok).isPresent();
    assertThat(ok.get()).isGreaterThan(rev);

    long before = store.revision();
    Optional<Long> stale = store.compareAndPut(p + "a", bytes("3"), rev, StateStore.Lease.NONE);
    assertThat(stale).isEmpty();
    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("2");
    assertThat(store.revision()).isEqualTo(before);
  }

  @Test
  void compareAndPutWithZeroMeansOnlyIfAbsent() {
    assertThat(store.compareAndPut(p + "a", bytes("1"), 0, StateStore.Lease.NONE)).isPresent();
    assertThat(store.compareAndPut(p + "a", bytes("2"), 0, StateStore.Lease.NONE)).isEmpty();
    assertThat(store.compareAndPut(p + "b", bytes("1"), 5, StateStore.Lease.NONE)).isEmpty();
    assertThat(store.get(p + "b")).isEmpty();
  }

  @Test
  void createSucceedsOnlyOnce() {
    assertThat(store.create(p + "a", bytes("first"), StateStore.Lease.NONE)).isTrue();
    assertThat(store.create(p + "a", bytes("second"), StateStore.Lease.NONE)).isFalse();
    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("first");
  }

  @Test
  void concurrentCompareAndPutLosesNoIncrement() throws Exception {
    String key = p + "counter";
    store.put(key, bytes("0"));
    AtomicLong wins = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 25; i++) {
          while (true) {
            KeyValue kv = store.get(key).orElseThrow();
            long next = Long.parseLong(kv.text()) + 1;
            if (store.compareAndPut(key, bytes(Long.toString(next)), kv.modRevision(), 0).isPresent()) {
              wins.incrementAndGet();
              break;
            }
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wins.get()).isEqualTo(100);
    assertThat(store.get(key).orElseThrow().text()).isEqualTo("100");
  }

  @Test
  void deleteReportsWhetherTheKeyExisted() {
    store.put(p + "a", bytes("1"));
    assertThat(store.delete(p + "a")).isTrue();
    assertThat(store.get(p + "a")).isEmpty();
    assertThat(store.delete(p + "a")).isFalse();
  }

  @Test
  void compareAndDeleteDeletesOnlyOnMatchingModRevision() {
    long r1 = store.put(p + "a", bytes("1"));
    long r2 = store.put(p + "a", bytes("2"));

    assertThat(store.compareAndDelete(p + "a", r1)).isFalse();
    assertThat(store.get(p + "a")).isPresent();
    assertThat(store.compareAndDelete(p + "a", r2)).isTrue();
    assertThat(store.get(p + "a")).isEmpty();
    assertThat(store.compareAndDelete(p + "a", r2)).isFalse();
  }

  @Test
  void recreatedKeyGetsANewCreateRevision() {
    long first = store.put(p + "a", bytes("1"));
    store.delete(p + "a");
    long second = store.put(p + "a", bytes("2"));
    assertThat(store.get(p + "a").orElseThrow().createRevision()).isEqualTo(second).isNotEqualTo(first);
  }

  @Test
  void closedStoreRefusesCalls() {
    StateStore other = openStore();
    other.close();
    assertThatThrownBy(() -> other.get(p + "a")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> other.put(p + "a", bytes("1"))).isInstanceOf(StoreException.class);
  }

  @Test
  void waitsForAWriteThatAnotherHandleMade() {
    try (StateStore other = openStore()) {
      long rev = other.put(p + "a", bytes("from other"));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> store.get(p + "a").map(KeyValue::modRevision).orElse(0L), r -> r == rev);
    }
  }
}

package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The fenced half of {@link StateStoreContract}: writes through {@link StateStore#fenced} commit
 * only while the fence key stands with its create revision, and change nothing once it does not.
 */
@SuppressWarnings("try") // a watch is opened for its side effect and closed by try
public abstract class StateStoreFenceContract extends StateStoreKeyValueContract {

  /** Creates the leader key (on {@code lease}, or none) and returns the fence of that term. */
  private Fence elect(long lease) {
    String key = p + "leader";
    assertThat(store.create(key, bytes("me"), lease)).isTrue();
    return new Fence(key, store.get(key).orElseThrow().createRevision());
  }

  @Test
  void fencedWritesCommitWhileTheFenceKeyStands() {
    StateStore fenced = store.fenced(elect(StateStore.Lease.NONE));

    long put = fenced.put(p + "a", bytes("1"));
    assertThat(fenced.compareAndPut(p + "a", bytes("2"), put, StateStore.Lease.NONE)).isPresent();
    assertThat(fenced.create(p + "b", bytes("3"), StateStore.Lease.NONE)).isTrue();
    long c = fenced.put(p + "c", bytes("4"));
    assertThat(fenced.compareAndDelete(p + "c", c)).isTrue();
    assertThat(fenced.delete(p + "b")).isTrue();

    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("2");
    assertThat(store.get(p + "b")).isEmpty();
    assertThat(store.get(p + "c")).isEmpty();
  }

  @Test
  void aFencedWriteWhoseOwnConditionFailsAnswersAsTheUnfencedOne() {
    StateStore fenced = store.fenced(elect(StateStore.Lease.NONE));
    long a = store.put(p + "a", bytes("1"));

    assertThat(fenced.compareAndPut(p + "a", bytes("2"), a + 100, StateStore.Lease.NONE)).isEmpty();
    assertThat(fenced.create(p + "a", bytes("2"), StateStore.Lease.NONE)).isFalse();
    assertThat(fenced.compareAndDelete(p + "a", a + 100)).isFalse();
    assertThat(fenced.delete(p + "missing")).isFalse();
    assertThat(store.get(p + "a").orElseThrow().modRevision()).isEqualTo(a);
  }

  @Test
  void everyFencedWriteThrowsOnceTheFenceKeyIsDeleted() {
    Fence fence = elect(StateStore.Lease.NONE);
    StateStore fenced = store.fenced(fence);
    store.delete(fence.key());

    assertFencedOut(fenced, fence);
  }

  @Test
  void everyFencedWriteThrowsOnceTheFenceKeyIsCreatedAgain() {
    Fence fence = elect(StateStore.Lease.NONE);
    StateStore fenced = store.fenced(fence);
    store.delete(fence.key());
    store.create(fence.key(), bytes("someone else"), StateStore.Lease.NONE);

    assertFencedOut(fenced, fence);
  }

  @Test
  void everyFencedWriteThrowsOnceTheFenceKeysLeaseIsRevoked() {
    long lease = store.grantLease(Duration.ofSeconds(30));
    Fence fence = elect(lease);
    StateStore fenced = store.fenced(fence);
    fenced.put(p + "a", bytes("while leading"));
    store.revoke(lease);

    assertFencedOut(fenced, fence);
  }

  @Test
  void aFencedViewPassesReadsAndWatchesThroughAndClosingItLeavesTheStoreOpen() throws Exception {
    Fence fence = elect(StateStore.Lease.NONE);
    StateStore fenced = store.fenced(fence);
    StateStoreContract.Recorder recorder = new StateStoreContract.Recorder();
    try (Watch w = fenced.watch(p + "k/", 0, recorder)) {
      long rev = store.put(p + "k/a", bytes("1"));
      assertThat(fenced.get(p + "k/a").orElseThrow().text()).isEqualTo("1");
      assertThat(fenced.range(p + "k/", 0).items()).hasSize(1);
      assertThat(fenced.revision()).isGreaterThanOrEqualTo(rev);
      recorder.awaitSize(1);
    }
    assertThat(fenced.health().ok()).isTrue();

    fenced.close();
    assertThat(store.get(fence.key())).isPresent();
    store.put(p + "after", bytes("1"));
  }

  /** Every write through {@code fenced} throws and nothing changes: no key, no revision. */
  private void assertFencedOut(StateStore fenced, Fence fence) {
    long a = store.put(p + "a", bytes("before"));
    long revision = store.revision();
    List<Consumer<StateStore>> writes = List.of(
        s -> s.put(p + "a", bytes("after")),
        s -> s.put(p + "new", bytes("after")),
        s -> s.compareAndPut(p + "a", bytes("after"), a, StateStore.Lease.NONE),
        s -> s.create(p + "new", bytes("after"), StateStore.Lease.NONE),
        s -> s.delete(p + "a"),
        s -> s.compareAndDelete(p + "a", a));
    for (Consumer<StateStore> write : writes) {
      assertThatThrownBy(() -> write.accept(fenced))
          .isInstanceOf(FencedOutException.class)
          .isInstanceOf(StoreException.class)
          .hasMessage("not the leader any more: " + fence.key() + " changed");
    }
    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("before");
    assertThat(store.get(p + "new")).isEmpty();
    assertThat(store.revision()).isEqualTo(revision);
  }
}

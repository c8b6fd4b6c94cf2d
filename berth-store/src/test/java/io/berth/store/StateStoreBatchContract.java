package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.store.StateStore.ConditionalPuts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link StateStore#compareAndPutEach}, part of {@link StateStoreContract}: each entry of a batch
 * succeeds or fails exactly as its own compare-and-put would, in order, and a fence holds for all.
 */
public abstract class StateStoreBatchContract extends StateStoreFenceContract {

  private static Map<String, byte[]> puts(String... keysAndValues) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) out.put(keysAndValues[i], bytes(keysAndValues[i + 1]));
    return out;
  }

  @Test
  void eachEntryIsWrittenWhenItsOwnConditionHoldsAndOnlyThen() {
    long a = store.put(p + "a", bytes("1"));
    long c = store.put(p + "c", bytes("1"));

    List<Optional<Long>> out = store.compareAndPutEach(List.of(
        new ConditionalPuts(p + "a", a, puts(p + "a", "2", p + "x", "a's")),
        new ConditionalPuts(p + "b", 0, puts(p + "b", "new", p + "y", "b's")),
        new ConditionalPuts(p + "c", c + 1000, puts(p + "c", "lost", p + "z", "c's")),
        new ConditionalPuts(p + "a", 0, puts(p + "a", "created again", p + "w", "a's again"))));

    assertThat(out).hasSize(4);
    assertThat(out.get(0)).contains(store.get(p + "x").orElseThrow().modRevision());
    assertThat(out.get(1)).contains(store.get(p + "y").orElseThrow().modRevision());
    assertThat(out.get(2)).isEmpty();
    assertThat(out.get(3)).as("a exists: 'only if absent' fails").isEmpty();
    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("2");
    assertThat(store.get(p + "b").orElseThrow().text()).isEqualTo("new");
    assertThat(store.get(p + "c").orElseThrow().modRevision()).isEqualTo(c);
    assertThat(store.get(p + "z")).isEmpty();
    assertThat(store.get(p + "w")).isEmpty();
    assertThat(store.get(p + "a").orElseThrow().modRevision()).isLessThan(store.get(p + "x").orElseThrow().modRevision());
  }

  @Test
  void anEntrySeesTheWritesOfTheEntriesBeforeIt() {
    List<Optional<Long>> out = store.compareAndPutEach(List.of(
        new ConditionalPuts(p + "slot", 0, puts(p + "slot", "first", p + "assign/1", "1")),
        new ConditionalPuts(p + "slot", 0, puts(p + "slot", "second", p + "assign/2", "2"))));

    assertThat(out.get(0)).isPresent();
    assertThat(out.get(1)).isEmpty();
    assertThat(store.get(p + "slot").orElseThrow().text()).isEqualTo("first");
    assertThat(store.range(p + "assign/", 0).items()).extracting(KeyValue::key).containsExactly(p + "assign/1");
  }

  @Test
  void anEmptyBatchWritesNothing() {
    long revision = store.revision();
    assertThat(store.compareAndPutEach(List.of())).isEmpty();
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void anEntryMustWriteTheKeyItIsConditionalOn() {
    assertThatThrownBy(() -> new ConditionalPuts(p + "a", 0, puts(p + "b", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must write " + p + "a");
  }

  @Test
  void aFencedBatchCommitsWhileTheFenceStandsAndNothingOnceItIsGone() {
    String leader = p + "leader";
    assertThat(store.create(leader, bytes("me"), StateStore.Lease.NONE)).isTrue();
    Fence fence = new Fence(leader, store.get(leader).orElseThrow().createRevision());
    StateStore fenced = store.fenced(fence);

    assertThat(fenced.compareAndPutEach(List.of(new ConditionalPuts(p + "a", 0, puts(p + "a", "1", p + "x", "1"))))).allMatch(Optional::isPresent);
    store.delete(leader);
    long revision = store.revision();
    assertThatThrownBy(() -> fenced.compareAndPutEach(List.of(
        new ConditionalPuts(p + "b", 0, puts(p + "b", "1", p + "y", "1")),
        new ConditionalPuts(p + "c", 0, puts(p + "c", "1")))))
        .isInstanceOf(FencedOutException.class);
    assertThat(store.get(p + "a").orElseThrow().text()).isEqualTo("1");
    assertThat(store.get(p + "b")).isEmpty();
    assertThat(store.get(p + "c")).isEmpty();
    assertThat(store.revision()).isEqualTo(revision);
  }
}

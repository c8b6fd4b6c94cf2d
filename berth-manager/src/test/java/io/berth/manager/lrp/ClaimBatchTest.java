package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.Keys;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.scheduler.NodeView;
import io.berth.manager.metrics.MeteredStateStore;
import io.berth.manager.schema.RecordSchemaStore;
import io.berth.store.Fence;
import io.berth.store.ForwardingStateStore;
import io.berth.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A pass's claims: one store write for the batch, each claim holding or failing on its own as a single claim does. */
class ClaimBatchTest extends ConvergerScenario {
  CountingStore counting;

  @Override
  StateStore wrap(StateStore raw) {
    counting = new CountingStore(raw);
    return counting;
  }

  /** Counts writes by kind; {@code beforeBatch} runs just before a batch of conditional writes, as another writer would. */
  static final class CountingStore extends ForwardingStateStore {
    final Map<String, Integer> writes = new ConcurrentHashMap<>();
    volatile Runnable beforeBatch = () -> {};

    CountingStore(StateStore store) {
      super(store);
    }

    private void count(String kind) {
      writes.merge(kind, 1, Integer::sum);
    }

    @Override
    public long put(String key, byte[] value, long lease) {
      count("put");
      return store.put(key, value, lease);
    }

    @Override
    public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
      count("compareAndPut");
      return store.compareAndPut(key, value, expectedModRevision, lease);
    }

    @Override
    public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
      count("compareAndPutEach");
      beforeBatch.run();
      return store.compareAndPutEach(entries);
    }

    @Override
    public boolean delete(String key) {
      count("delete");
      return store.delete(key);
    }

    @Override
    public boolean compareAndDelete(String key, long expectedModRevision) {
      count("compareAndDelete");
      return store.compareAndDelete(key, expectedModRevision);
    }

    @Override
    public StateStore fenced(Fence fence) {
      throw new UnsupportedOperationException("not in this test");
    }
  }

  long state(String guid, ActualState state) {
    return service.actuals(pg(guid)).stream().filter(a -> a.state() == state).count();
  }

  @Test
  void aPassClaimsAHundredSlotsAndWritesTheirAssignmentsInTwoStoreWrites() {
    nodes.replaceAll(n -> new NodeView(n.name(), n.id(), true, Map.of(), 2, 8L << 30, List.of(), n.images(), n.networks()));
    service.desire(lrp("web", 100));
    counting.writes.clear();

    converger.pass();

    assertThat(state("web", ActualState.CLAIMED)).isEqualTo(100);
    assertThat(assignments("n1")).hasSize(50);
    assertThat(assignments("n2")).hasSize(50);
    assertThat(counting.writes).as("100 UNCLAIMED records created, then the claims 64 to a write, and no write apart")
        .containsExactlyInAnyOrderEntriesOf(Map.of("compareAndPut", 100, "compareAndPutEach", 2));
  }

  @Test
  void aSlotChangedSinceItWasReadIsNotClaimedWhileTheRestOfTheBatchIs() {
    service.desire(lrp("web", 3));
    counting.beforeBatch = () -> {
      ActualLrp one = service.actual(pg("web"), 1);
      raw.put(Keys.actual("web", 1), io.berth.cluster.Json.bytes(one)); // another manager's write: a new revision
    };

    converger.pass();

    assertThat(service.actual(pg("web"), 1).state()).isEqualTo(ActualState.UNCLAIMED);
    assertThat(state("web", ActualState.CLAIMED)).isEqualTo(2);
    assertThat(assignedGuids()).hasSize(2).containsExactlyInAnyOrderElementsOf(
        service.actuals(pg("web")).stream().filter(a -> a.state() == ActualState.CLAIMED).map(ActualLrp::instanceGuid).toList());

    counting.beforeBatch = () -> {};
    converger.pass();
    assertThat(state("web", ActualState.CLAIMED)).isEqualTo(3);
    assertThat(assignedGuids()).hasSize(3);
  }

  @Test
  void theManagersStoreViewsHandABatchToTheStoreBeneathWholeAndStamped() {
    StateStore views = new MeteredStateStore(new RecordSchemaStore(counting));
    String key = "/berth/actual/web/0";

    List<Optional<Long>> out = views.compareAndPutEach(List.of(new StateStore.ConditionalPuts(key, 0,
        Map.of(key, "{\"index\":0}".getBytes(StandardCharsets.UTF_8)))));

    assertThat(out).allMatch(Optional::isPresent);
    assertThat(counting.writes).containsExactlyEntriesOf(Map.of("compareAndPutEach", 1));
    assertThat(new String(raw.get(key).orElseThrow().value(), StandardCharsets.UTF_8)).matches("\\{\"index\":0,\"schema\":\\d+}");
  }
}

package io.berth.manager.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.NodeName;
import io.berth.manager.leader.OneEtcd;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journal of created containers on a real etcd: one lease for many entries, and a lease the store lost replaced. */
class PlanLockJournalTest {
  @RegisterExtension static final OneEtcd ETCD = new OneEtcd();
  static final NodeName N1 = NodeName.of("n1");

  @Test
  void createdContainersShareOneJournalLeaseAndALostLeaseIsReplaced() {
    StateStore store = ETCD.store();
    PlanLock a = PlanLock.shared(store, "a", null);
    a.holding(() -> {
      a.created(N1, "c1");
      a.created(N1, "c2");
      return null;
    });
    List<KeyValue> journal = store.range(PlanLock.JOURNAL, 0).items();
    assertThat(journal).extracting(KeyValue::text).containsExactlyInAnyOrder("n1 c1", "n1 c2");
    long lease = journal.get(0).lease();
    assertThat(journal).extracting(KeyValue::lease).as("one lease, not one grant per create").containsOnly(lease);
    assertThat(lease).isNotEqualTo(StateStore.Lease.NONE);

    store.revoke(lease); // as if it had expired while the store was away
    a.holding(() -> {
      a.created(N1, "c3");
      return null;
    });
    assertThat(store.range(PlanLock.JOURNAL, 0).items()).singleElement().satisfies(kv -> {
      assertThat(kv.text()).isEqualTo("n1 c3");
      assertThat(kv.lease()).isNotIn(lease, StateStore.Lease.NONE);
    });
  }
}

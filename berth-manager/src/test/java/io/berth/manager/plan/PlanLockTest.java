package io.berth.manager.plan;

import io.berth.core.id.NodeName;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.scheduler.NodeView;
import io.berth.manager.TestStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plan step two managers share: one holder at a time, and each sees the instances the other claimed. */
class PlanLockTest {
  static final Reservation WEB = new Reservation(NodeName.of("n1"), "g1", "berth/busybox:1", 1L << 30);
  @RegisterExtension final TestStore stores = new TestStore();

  @Test
  void instancesOneManagerClaimedArePendingForTheOthersNextPlan() {
    PlanLock a = PlanLock.shared(stores.get(), "a", null);
    PlanLock b = PlanLock.shared(stores.get(), "b", null);
    a.holding(() -> {
      a.claimed(List.of(WEB, new Reservation(NodeName.of("n2"), "g2", "berth/busybox:1", 1L << 20)));
      return null;
    });
    assertThat(b.holding(b::pending)).containsExactlyInAnyOrder(WEB, new Reservation(NodeName.of("n2"), "g2", "berth/busybox:1", 1L << 20));
    assertThat(a.holding(a::pending)).as("and for its own docker run").contains(WEB);
    assertThat(stores.get().range(PlanLock.JOURNAL, 0).items()).as("one journal entry per batch").hasSize(1);
  }

  @Test
  void aSecondHolderOnAnotherManagerWaitsForTheFirst() throws Exception {
    PlanLock a = PlanLock.shared(stores.get(), "a", null);
    PlanLock b = PlanLock.shared(stores.get(), "b", null);
    CountDownLatch aHolds = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first = Thread.ofPlatform().start(() -> a.holding(() -> {
      aHolds.countDown();
      awaitQuietly(release);
      return null;
    }));
    assertThat(aHolds.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean bRan = new AtomicBoolean();
    Thread second = Thread.ofPlatform().start(() -> b.holding(() -> bRan.getAndSet(true)));
    second.join(300);
    assertThat(bRan).as("b must not plan while a holds the step").isFalse();
    release.countDown();
    first.join(5000);
    second.join(5000);
    assertThat(bRan).isTrue();
  }

  @Test
  void oneManagerAloneKeepsItsClaimsInMemory() {
    PlanLock local = PlanLock.local();
    local.holding(() -> {
      local.claimed(List.of(WEB));
      return null;
    });
    assertThat(local.holding(local::pending)).containsExactly(WEB);
    assertThat(local.sharedStore()).isNull();
  }

  @Test
  void aReservationCountsUntilItsContainerShowsAndOnlyOnce() {
    NodeView n1 = new NodeView(NodeName.of("n1"), "id1", true, Map.of(), 2, 2L << 30, List.of(), Set.of());
    NodeView shown = new NodeView(NodeName.of("n1"), "id1", true, Map.of(), 2, 2L << 30, List.of(new NodeView.ContainerView("c1", "/web", "berth/busybox:1",
        Map.of(Reservation.INSTANCE_LABEL, "g1"), List.of(), true, 1L << 30, 0)), Set.of());
    assertThat(Reservation.overlay(List.of(n1), List.of(WEB, WEB)).get(0).containers()).hasSize(1);
    assertThat(Reservation.overlay(List.of(shown), List.of(WEB)).get(0).containers()).hasSize(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

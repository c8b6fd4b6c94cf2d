package io.berth.manager.notify;

import static io.berth.manager.notify.NotifyFixture.T0;
import static io.berth.manager.notify.NotifyFixture.firing;
import static io.berth.manager.notify.NotifyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.core.alert.AlertNotice;
import io.berth.manager.TestStore;
import io.berth.manager.leader.Leadership;
import io.berth.manager.leader.Singletons;
import io.berth.store.FencedOutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two managers' notifications on one store with a real election: the new leader carries on, the old one writes nothing. */
class FailoverTest {
  @RegisterExtension final TestStore stores = new TestStore();
  final NotifyFixture.Recording sender = new NotifyFixture.Recording();
  NotifyFixture f;
  Leadership a;
  Leadership b;

  @BeforeEach
  void open() {
    f = new NotifyFixture(stores.get());
    a = Leadership.elect(f.store, "m1", Leadership.MIN_TTL).start();
    b = Leadership.elect(f.store, "m2", Leadership.MIN_TTL).start();
  }

  @AfterEach
  void close() {
    b.close();
    a.close();
    f.close();
  }

  Notifications on(Leadership l) {
    return new Notifications(f.store, Singletons.of(f.store, l), new Recipients(f.access.users(), f.access.members()), sender,
        NotifyConfig.NONE, Notifications.GROUP_WAIT, l.name(), f.clock, () -> "");
  }

  @Test
  void theNewLeaderNeitherResendsNorLosesAndTheDeposedOneChangesNothing() throws Exception {
    assertThat(a.isLeader()).isTrue();
    Notifications first = on(a);
    Notifications second = on(b);
    AlertNotice fire = firing("web", "high-cpu", T0, List.of("http://hooks.example.com/"), List.of());
    first.deliver(fire);
    f.clock.advance(Duration.ofSeconds(2));
    first.pass();
    assertThat(sender.sent).hasSize(1);

    a.close(); // steps down: m2 leads
    await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
    first.deliver(resolved(fire, f.clock.instant()));
    assertThatThrownBy(first::pass).isInstanceOf(FencedOutException.class);
    assertThat(first.queued()).as("kept for when it leads again").isEqualTo(1);

    second.deliver(fire); // the new leader's evaluator decides the same transitions again
    second.deliver(resolved(fire, f.clock.instant()));
    f.clock.advance(Duration.ofSeconds(2));
    second.pass();
    assertThat(sender.sent).hasSize(2);
    assertThat(sender.sent.get(1).notices()).extracting(AlertNotice::status).containsExactly(AlertNotice.Status.RESOLVED);
    f.clock.advance(Duration.ofHours(5));
    second.pass();
    assertThat(sender.sent).as("no reminder of a resolved alert").hasSize(2);
  }
}

package io.berth.manager.notify;

import static io.berth.manager.notify.NotifyFixture.T0;
import static io.berth.manager.notify.NotifyFixture.firing;
import static io.berth.manager.notify.NotifyFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.alert.AlertNotice;
import io.berth.core.identity.Role;
import io.berth.manager.TestStore;
import io.berth.manager.leader.Singletons;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Grouping, repeats, resolve, retries and the outbox across leaders, on a clock the test moves and a recording sender. */
class NotificationsTest {
  static final String HOOK = "http://hooks.example.com/alerts";
  @RegisterExtension final TestStore stores = new TestStore();
  NotifyFixture f;
  final NotifyFixture.Recording sender = new NotifyFixture.Recording();

  @BeforeEach
  void open() {
    f = new NotifyFixture(stores.get());
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void noticesOfOneAppWithinTheGroupWaitLeaveAsOneMessage() throws Exception {
    Notifications n = f.notifications(sender);
    n.deliver(firing("web", "high-cpu", T0, List.of(HOOK), List.of()));
    n.pass();
    f.clock.advance(Duration.ofMillis(1500));
    n.deliver(firing("web", "high-mem", T0, List.of(HOOK), List.of()));
    n.deliver(firing("db", "high-cpu", T0, List.of(HOOK), List.of()));
    assertThat(n.pass()).isLessThanOrEqualTo(Duration.ofMillis(500));
    assertThat(sender.sent).isEmpty();
    f.clock.advance(Duration.ofMillis(500));
    n.pass();
    assertThat(sender.sent).hasSize(1);
    assertThat(sender.sent.get(0).notices()).extracting(AlertNotice::rule).containsExactly("high-cpu", "high-mem");
    f.clock.advance(Duration.ofMillis(1500));
    n.pass();
    assertThat(sender.sent).hasSize(2);
    assertThat(sender.sent.get(1).app()).isEqualTo("db");
  }

  @Test
  void aFiringAlertIsRepeatedEveryRepeatAndItsResolveGoesOnce() throws Exception {
    Notifications n = f.notifications(sender, new NotifyConfig(null, null, Duration.ofHours(4)));
    AlertNotice fire = firing("web", "high-cpu", T0, List.of(HOOK), List.of());
    n.deliver(fire);
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    f.clock.advance(Duration.ofHours(3));
    n.pass();
    assertThat(sender.sent).hasSize(1);
    f.clock.advance(Duration.ofHours(1));
    n.pass();
    assertThat(sender.sent).hasSize(2);
    assertThat(n.recent("web", 10).get(0).repeat()).isTrue();

    n.deliver(resolved(fire, f.clock.instant()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sender.sent).hasSize(3);
    assertThat(sender.sent.get(2).status()).isEqualTo(AlertNotice.Status.RESOLVED);
    for (int i = 0; i < 3; i++) {
      f.clock.advance(Duration.ofHours(4));
      n.pass();
    }
    assertThat(sender.sent).as("no reminder after the resolve, and the resolve once").hasSize(3);
  }

  @Test
  void aResolveThatNamesNoReceiverGoesToWhoeverWasToldOfTheFiring() throws Exception {
    Notifications n = f.notifications(sender, new NotifyConfig(null, null, Duration.ofHours(4)));
    AlertNotice fire = firing("web", "high-cpu", T0, List.of(HOOK), List.of());
    n.deliver(fire);
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    // the rule was removed while it fired: the evaluator knows no receivers any more
    AlertNotice resolve = resolved(fire, f.clock.instant());
    n.deliver(new AlertNotice(resolve.id(), resolve.app(), resolve.rule(), null, resolve.status(), "", 0, "the rule was removed",
        resolve.startsAt(), resolve.endsAt(), List.of(), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sender.sent).hasSize(2);
    assertThat(sender.sent.get(1).receiver()).isEqualTo(sender.sent.get(0).receiver());
    f.clock.advance(Duration.ofHours(8));
    n.pass();
    assertThat(sender.sent).as("no reminders after it").hasSize(2);
  }

  @Test
  void theSameNoticeHandedInTwiceIsSentOnce() throws Exception {
    Notifications n = f.notifications(sender);
    AlertNotice fire = firing("web", "high-cpu", T0, List.of(HOOK), List.of());
    AlertNotice done = resolved(fire, T0.plusSeconds(60));
    n.deliver(fire);
    n.deliver(done);
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    n.deliver(fire);
    n.deliver(done);
    f.clock.advance(Duration.ofHours(5));
    n.pass();
    assertThat(sender.sent).hasSize(1);
    assertThat(sender.sent.get(0).notices()).hasSize(2);
  }

  @Test
  void aReceiverThatIsDownIsRetriedWithBackOffUntilItComesBack() throws Exception {
    Notifications n = f.notifications(sender);
    sender.answer = m -> new Outcome.Retry("cannot connect");
    n.deliver(firing("web", "high-cpu", T0, List.of(HOOK), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    for (int wait : new int[] {1, 2, 4, 8}) {
      f.clock.advance(Duration.ofSeconds(wait).minusMillis(1));
      n.pass();
      f.clock.advance(Duration.ofMillis(1));
      n.pass();
    }
    assertThat(sender.sent).as("one try per back-off: 1 s, 2 s, 4 s, 8 s").hasSize(5);
    sender.answer = m -> new Outcome.Delivered();
    f.clock.advance(Duration.ofSeconds(16));
    n.pass();
    assertThat(n.recent("web", 10)).extracting(NotificationLog.Notification::outcome)
        .containsExactly("delivered", "retrying", "retrying", "retrying", "retrying", "retrying");
    assertThat(n.recent("web", 1).get(0).attempts()).isEqualTo(6);
  }

  @Test
  void withoutReceiversTheOwnersAndMastersAreMailedButNotDevelopers() throws Exception {
    f.member("web", "olivia", Role.OWNER);
    f.member("web", "max", Role.MASTER);
    f.member("web", "dev", Role.DEVELOPER);
    Notifications n = f.notifications(sender);
    n.deliver(firing("web", "high-cpu", T0, List.of(), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sender.sent).extracting(m -> m.receiver().key()).containsExactlyInAnyOrder("email olivia@example.com", "email max@example.com");
  }

  @Test
  void aNewLeaderCarriesOnWithoutSendingAgain() throws Exception {
    Notifications first = f.notifications(sender);
    AlertNotice fire = firing("web", "high-cpu", T0, List.of(HOOK, "http://second.example.com/"), List.of());
    first.deliver(fire);
    f.clock.advance(Duration.ofSeconds(2));
    // The first leader stops while sending to the second receiver: the store says SENDING for it.
    sender.answer = m -> {
      if (m.receiver().target().contains("second")) throw new IllegalStateException("killed mid-send");
      return new Outcome.Delivered();
    };
    first.pass();
    Outbox.Stored s = new Outbox(f.store).list().get(0);
    Delivery second = s.entry().deliveries().get(1);
    new Outbox(f.store).replace(s, s.entry().with(second.sending(f.clock.instant())));
    sender.sent.clear();
    sender.answer = m -> new Outcome.Delivered();

    Notifications next = f.notifications(sender);
    next.deliver(fire); // the new leader's evaluator sees the same transition
    f.clock.advance(Duration.ofMinutes(1));
    next.pass();
    assertThat(sender.sent).as("neither receiver gets the transition again").isEmpty();
    assertThat(next.recent("web", 1).get(0).outcome()).isEqualTo("unknown");
    f.clock.advance(Duration.ofHours(4));
    next.pass();
    assertThat(sender.sent).as("the reminders go on, to both").hasSize(2);
  }

  @Test
  void anApiAddressNotKnownYetSendsWithoutLinksRatherThanFailing() throws Exception {
    Notifications n = new Notifications(f.store, Singletons.always(f.store), new Recipients(f.access.users(), f.access.members()), sender,
        NotifyConfig.NONE, Notifications.GROUP_WAIT, "m1", f.clock, () -> {
          throw new IndexOutOfBoundsException("the API is not listening yet");
        });
    n.deliver(firing("web", "high-cpu", T0, List.of(HOOK), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sender.sent).hasSize(1);
    assertThat(sender.sent.get(0).externalUrl()).isEmpty();
    assertThat(n.recent("web", 1).get(0).outcome()).isEqualTo("delivered");
  }
}

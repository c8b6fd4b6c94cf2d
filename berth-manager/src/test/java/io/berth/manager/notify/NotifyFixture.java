package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.MovingClock;
import io.berth.manager.cluster.ClusterSecrets;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Singletons;
import io.berth.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** A store with users and an app's members, a clock the test moves, and notifications over them with a sender of the test's. */
final class NotifyFixture implements AutoCloseable {
  static final Principal ADMIN = Principal.adminToken();
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  final StateStore store;
  final StoreAccess access;
  final MovingClock clock = new MovingClock(T0);

  /** A sender that records each message and answers as the test says. */
  static final class Recording implements Sender {
    final List<Message> sent = Collections.synchronizedList(new ArrayList<>());
    volatile Function<Message, Outcome> answer = m -> new Outcome.Delivered();

    @Override
    public Outcome send(Message m) {
      sent.add(m);
      return answer.apply(m);
    }
  }

  NotifyFixture(StateStore store) {
    this.store = store;
    System.setProperty("berth.bcrypt.cost", "4");
    this.access = new StoreAccess(store, clock, ClusterSecrets.loadOrCreate(store, T0), 4);
  }

  /** A user with an e-mail address and a role on app {@code app}. */
  void member(String app, String user, Role role) {
    access.accounts().createUser(ADMIN, user, "password of " + user, false, user + "@example.com");
    access.accounts().setMember(ADMIN, ResourceKind.APP, app, user, role);
  }

  Notifications notifications(Sender sender, NotifyConfig config) {
    return new Notifications(store, Singletons.always(store), new Recipients(access.users(), access.members()), sender, config,
        Notifications.GROUP_WAIT, "m1", clock, () -> "");
  }

  Notifications notifications(Sender sender) {
    return notifications(sender, NotifyConfig.NONE);
  }

  static AlertNotice firing(String app, String rule, Instant startsAt, List<String> webhooks, List<String> emails) {
    return new AlertNotice(app + "/" + rule + "/" + startsAt.toEpochMilli() + "/firing", app, rule, "warning", AlertNotice.Status.FIRING,
        "cpu > 80%", 92.5, "cpu 92.5 % > 80 % for 2m", startsAt, null, webhooks, emails);
  }

  static AlertNotice resolved(AlertNotice f, Instant endsAt) {
    return new AlertNotice(f.id().replace("/firing", "/resolved"), f.app(), f.rule(), f.severity(), AlertNotice.Status.RESOLVED,
        f.expression(), 41.0, "cpu 41 % <= 80 %", f.startsAt(), endsAt, f.webhooks(), f.emails());
  }

  @Override
  public void close() {
    access.close();
  }
}

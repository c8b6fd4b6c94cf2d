package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.manager.identity.Members;
import io.berth.manager.identity.Users;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a notice goes to: the webhooks and addresses its rule names, or, when it names none, the e-mail addresses of the
 * app's Owner and Master members (not its developers, reporters or guests). Decided once, when the notice enters the
 * outbox, so a new leader sends to the same people.
 */
final class Recipients {
  private static final Logger log = LoggerFactory.getLogger(Recipients.class);
  private final Users users;
  private final Members members;

  Recipients(Users users, Members members) {
    this.users = users;
    this.members = members;
  }

  List<Receiver> of(AlertNotice n) {
    Set<Receiver> out = new LinkedHashSet<>();
    if (n.webhooks().isEmpty() && n.emails().isEmpty()) {
      for (Members.View m : members.list(ResourceKind.APP, n.app())) {
        Role role = Role.parse(m.role());
        if (role != Role.OWNER && role != Role.MASTER) continue;
        users.find(m.user()).map(Users.User::email).ifPresent(address -> add(out, n, () -> Receiver.email(address)));
      }
    }
    n.webhooks().forEach(url -> add(out, n, () -> Receiver.webhook(url)));
    n.emails().forEach(address -> add(out, n, () -> Receiver.email(address)));
    return new ArrayList<>(out);
  }

  /** A receiver its rule's check let through but that is malformed now is skipped with a line, never a failed pass. */
  private static void add(Set<Receiver> out, AlertNotice n, Supplier<Receiver> r) {
    try {
      out.add(r.get());
    } catch (RuntimeException e) {
      log.warn("alert-receiver-skipped notice={} reason={}", n.id(), e.getMessage());
    }
  }
}

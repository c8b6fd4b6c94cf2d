package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import java.util.List;

/**
 * One message to one receiver: the notices of one app due together (grouped, Alertmanager's group per app).
 *
 * @param externalUrl the manager's API address, for links back (may be empty)
 */
record Message(String app, Receiver receiver, List<AlertNotice> notices, String externalUrl) {
  Message {
    notices = List.copyOf(notices);
  }

  /** Firing while any of its notices fires; resolved when all resolved. */
  AlertNotice.Status status() {
    return notices.stream().anyMatch(n -> n.status() == AlertNotice.Status.FIRING) ? AlertNotice.Status.FIRING : AlertNotice.Status.RESOLVED;
  }

  long count(AlertNotice.Status s) {
    return notices.stream().filter(n -> n.status() == s).count();
  }
}

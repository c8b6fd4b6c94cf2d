package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One notice in the outbox ({@code /berth/alerts/outbox/{id}}) and where it stands with each of its receivers.
 *
 * @param ended a firing notice whose alert resolved since: no more reminders
 * @param finishedAt when every receiver was done with it; the entry stays a day after, so that the same notice
 *     handed in again (a new leader re-evaluating) finds it and is not sent twice
 */
record OutboxEntry(AlertNotice notice, Instant createdAt, boolean ended, List<Delivery> deliveries, Instant finishedAt) {
  OutboxEntry {
    deliveries = List.copyOf(deliveries);
  }

  /** A firing notice that may still be repeated. */
  boolean live() {
    return notice.status() == AlertNotice.Status.FIRING && !ended;
  }

  /** True when nothing more will be sent for it. */
  boolean complete() {
    return deliveries.stream().allMatch(d -> d.state() == Delivery.State.DONE || d.state() == Delivery.State.DELIVERED && !live());
  }

  OutboxEntry with(Delivery changed) {
    List<Delivery> out = new ArrayList<>(deliveries);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).receiver().equals(changed.receiver())) out.set(i, changed);
    }
    return new OutboxEntry(notice, createdAt, ended, out, finishedAt);
  }

  OutboxEntry endRepeats() {
    return new OutboxEntry(notice, createdAt, true, deliveries, finishedAt);
  }

  OutboxEntry finished(Instant at) {
    return new OutboxEntry(notice, createdAt, ended, deliveries, at);
  }

  /** The same alert ({@code app}, rule, start), whatever its status. */
  boolean sameAlert(AlertNotice other) {
    return notice.app().equals(other.app()) && notice.rule().equals(other.rule()) && notice.startsAt().equals(other.startsAt());
  }
}

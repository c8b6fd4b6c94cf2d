package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the outbox, on the leader: what is due goes out, one message per app and receiver.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A delivery is marked SENDING in the store before its message leaves and given its outcome after; a SENDING
 *       found at the start of a pass is never sent again (at most once per receiver and transition).
 *   <li>A notice not yet tried joins the message its app and receiver get next: notices within the group wait of
 *       each other leave together.
 *   <li>A firing alert is repeated every {@code repeat} until its resolved notice arrives; a resolved one goes once.
 *   <li>Only certain failures are retried, with back-off from 1 s to 5 min, for at most a day.
 * </ul>
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** How long a finished entry stays, so that the same notice handed in again is recognised. */
  static final Duration KEEP_FINISHED = Duration.ofDays(1);
  static final Duration IDLE = Duration.ofSeconds(30);
  private final Outbox outbox;
  private final NotificationLog history;
  private final Sender sender;
  private final Duration repeat;
  private final Duration groupWait;
  private final Clock clock;
  private final Supplier<String> externalUrl;

  Dispatcher(Outbox outbox, NotificationLog history, Sender sender, Duration repeat, Duration groupWait, Clock clock, Supplier<String> externalUrl) {
    this.outbox = outbox;
    this.history = history;
    this.sender = sender;
    this.repeat = repeat;
    this.groupWait = groupWait;
    this.clock = clock;
    this.externalUrl = externalUrl;
  }

  private record Group(String app, Receiver receiver) {}

  /** Enters a notice handed in at {@code now} with its receivers; false when the outbox had it already. A resolved notice ends its alert's reminders. */
  boolean accept(AlertNotice n, List<Receiver> receivers, Instant now) {
    List<Receiver> to = receivers;
    if (n.status() == AlertNotice.Status.RESOLVED) {
      for (Outbox.Stored s : outbox.list()) {
        if (!s.entry().live() || !s.entry().sameAlert(n)) continue;
        outbox.replace(s, s.entry().endRepeats());
        // Whoever was told of the firing is told of the resolve, even when its rule (and so its receivers) is gone.
        to = s.entry().deliveries().stream().map(Delivery::receiver).toList();
      }
    }
    List<Receiver> receiversNow = to;
    List<Delivery> deliveries = receiversNow.stream().map(r -> Delivery.first(r, now.plus(groupWait))).toList();
    boolean added = outbox.add(new OutboxEntry(n, now, false, deliveries, null));
    if (added && receiversNow.isEmpty()) {
      history.add(new NotificationLog.Notification(now, n.app(), n.id(), WebhookPayload.word(n.status()), "-", "no-receiver", 0, false,
          "the rule names no receiver and no owner or master of app " + n.app() + " has an e-mail address"));
      log.warn("alert-no-receiver notice={}", n.id());
    }
    return added;
  }

  /** One pass; how long until something is due (at most {@link #IDLE}). */
  Duration pass() throws InterruptedException {
    Instant now = clock.instant();
    Map<String, Outbox.Stored> entries = new LinkedHashMap<>();
    for (Outbox.Stored s : outbox.list()) entries.put(s.entry().notice().id(), settleLeftovers(s, now));
    Map<Group, List<String>> groups = dueGroups(entries, now);
    String url = groups.isEmpty() ? "" : externalUrl(); // before any mark: nothing may fail between a mark and its send
    Map<String, Set<Receiver>> picked = new LinkedHashMap<>();
    groups.forEach((g, ids) -> ids.forEach(id -> picked.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(g.receiver())));
    markSending(picked, groups, entries, now);
    Map<Group, Outcome> outcomes = sendAll(groups, entries, url);
    Instant after = clock.instant();
    picked.forEach((id, receivers) -> entries.put(id, update(entries.get(id), receivers, d -> {
      Outcome o = outcomes.get(new Group(entries.get(id).entry().notice().app(), d.receiver()));
      Delivery next = d.after(o, after);
      record(entries.get(id).entry().notice(), next, o, after);
      return next;
    })));
    Instant next = now.plus(IDLE);
    for (Outbox.Stored s : entries.values()) next = earliest(next, finishOrRemove(s, after));
    if (!picked.isEmpty()) history.trim();
    Duration wait = Duration.between(clock.instant(), next);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** Deliveries a stopped manager left SENDING: their outcome is unknown, and they are not sent again. */
  private Outbox.Stored settleLeftovers(Outbox.Stored s, Instant now) {
    Set<Receiver> left = new LinkedHashSet<>();
    for (Delivery d : s.entry().deliveries()) if (d.state() == Delivery.State.SENDING) left.add(d.receiver());
    if (left.isEmpty()) return s;
    Outcome unknown = new Outcome.Unknown("the manager sending it stopped before it knew the outcome");
    return update(s, left, d -> {
      Delivery next = d.after(unknown, now);
      record(s.entry().notice(), next, unknown, now);
      return next;
    });
  }

  /** Groups where something is due, with every notice of theirs due or not tried yet, oldest first. */
  private Map<Group, List<String>> dueGroups(Map<String, Outbox.Stored> entries, Instant now) {
    Map<Group, List<String>> candidates = new LinkedHashMap<>();
    Set<Group> due = new LinkedHashSet<>();
    List<Outbox.Stored> byAge = new ArrayList<>(entries.values());
    byAge.sort(Comparator.comparing((Outbox.Stored s) -> s.entry().createdAt()));
    for (Outbox.Stored s : byAge) {
      if (s.entry().finishedAt() != null) continue;
      for (Delivery d : s.entry().deliveries()) {
        Group g = new Group(s.entry().notice().app(), d.receiver());
        boolean isDue = d.due(now, s.entry().live(), repeat);
        if (isDue) due.add(g);
        if (isDue || d.fresh()) candidates.computeIfAbsent(g, k -> new ArrayList<>()).add(s.entry().notice().id());
      }
    }
    candidates.keySet().retainAll(due);
    return candidates;
  }

  /** Every group's message at once, each on a virtual thread: a slow receiver delays no other. */
  private Map<Group, Outcome> sendAll(Map<Group, List<String>> groups, Map<String, Outbox.Stored> entries, String url)
      throws InterruptedException {
    Map<Group, Future<Outcome>> running = new LinkedHashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      groups.forEach((g, ids) -> {
        Message m = new Message(g.app(), g.receiver(), ids.stream().map(id -> entries.get(id).entry().notice()).toList(), url);
        running.put(g, threads.submit(() -> sender.send(m)));
      });
      Map<Group, Outcome> out = new LinkedHashMap<>();
      for (Map.Entry<Group, Future<Outcome>> e : running.entrySet()) {
        try {
          out.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException failed) {
          out.put(e.getKey(), new Outcome.Unknown("the sender failed: " + WebhookSender.words(failed.getCause())));
        }
      }
      return out;
    }
  }

  /** Marks the picked deliveries SENDING; an entry changed meanwhile is left out of this pass's messages, not failed. */
  private void markSending(Map<String, Set<Receiver>> picked, Map<Group, List<String>> groups, Map<String, Outbox.Stored> entries, Instant now) {
    for (String id : List.copyOf(picked.keySet())) {
      Outbox.Stored marked = tryUpdate(entries.get(id), picked.get(id), d -> d.sending(now));
      if (marked != null) {
        entries.put(id, marked);
        continue;
      }
      picked.remove(id);
      groups.values().forEach(ids -> ids.remove(id));
    }
    groups.values().removeIf(List::isEmpty);
  }

  private Outbox.Stored update(Outbox.Stored s, Set<Receiver> receivers, UnaryOperator<Delivery> change) {
    Outbox.Stored changed = tryUpdate(s, receivers, change);
    if (changed == null) throw new IllegalStateException("outbox entry " + s.entry().notice().id() + " changed meanwhile");
    return changed;
  }

  /** The entry with {@code change} applied to {@code receivers}' deliveries, written; null when the store's changed meanwhile. */
  private Outbox.Stored tryUpdate(Outbox.Stored s, Set<Receiver> receivers, UnaryOperator<Delivery> change) {
    OutboxEntry changed = s.entry();
    for (Delivery d : s.entry().deliveries()) if (receivers.contains(d.receiver())) changed = changed.with(change.apply(d));
    long revision = outbox.replace(s, changed);
    return revision < 0 ? null : new Outbox.Stored(changed, revision);
  }

  /** Marks an entry finished once nothing more will be sent, removes it a day later; when it next needs a pass. */
  private Instant finishOrRemove(Outbox.Stored s, Instant now) {
    OutboxEntry e = s.entry();
    if (e.finishedAt() != null) {
      if (e.finishedAt().plus(KEEP_FINISHED).isAfter(now)) return e.finishedAt().plus(KEEP_FINISHED);
      outbox.remove(s);
      return null;
    }
    if (e.complete()) {
      outbox.replace(s, e.finished(now));
      return now.plus(KEEP_FINISHED);
    }
    Instant next = null;
    for (Delivery d : e.deliveries()) {
      if (d.state() == Delivery.State.PENDING) next = earliest(next, d.nextAt());
      if (d.sentAt() != null && d.state() != Delivery.State.PENDING && e.live()) next = earliest(next, d.sentAt().plus(repeat));
    }
    return next;
  }

  /** The manager's API URL for links; none while it is not known yet (the API starting), rather than a failed pass. */
  private String externalUrl() {
    try {
      String url = externalUrl.get();
      return url == null ? "" : url;
    } catch (RuntimeException notYet) {
      return "";
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private void record(AlertNotice n, Delivery d, Outcome o, Instant at) {
    String outcome = switch (o) {
      case Outcome.Delivered ok -> "delivered";
      case Outcome.Retry r -> d.state() == Delivery.State.PENDING ? "retrying" : "gave-up";
      case Outcome.Rejected r -> "rejected";
      case Outcome.Unknown u -> "unknown";
    };
    history.add(new NotificationLog.Notification(at, n.app(), n.id(), WebhookPayload.word(n.status()), d.receiver().key(), outcome,
        d.attempts(), d.repeat(), o instanceof Outcome.Delivered ? null : o.why()));
    if (o instanceof Outcome.Delivered) {
      log.info("alert-notification-sent notice={} receiver={} repeat={}", n.id(), d.receiver(), d.repeat());
    } else {
      log.warn("alert-notification-failed notice={} receiver={} outcome={} attempts={} reason={}", n.id(), d.receiver(), outcome, d.attempts(), o.why());
    }
  }
}

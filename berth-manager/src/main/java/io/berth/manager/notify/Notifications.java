package io.berth.manager.notify;

import io.berth.cluster.loop.Gate;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.alert.AlertNotice;
import io.berth.core.alert.AlertSink;
import io.berth.core.error.BerthException;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.StoreAccess;
import io.berth.manager.leader.Singletons;
import io.berth.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert notifications (docs/alerts-notify.md): the {@link AlertSink} the evaluator hands each transition to, on the
 * leader. {@link #deliver} only queues; a leader-gated loop puts each notice in the store's outbox with its receivers,
 * sends what is due (webhooks in Alertmanager's format, e-mail through {@code --smtp}) and records every outcome for
 * {@code GET /v1/alerts/notifications}.
 */
public final class Notifications implements AlertSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifications.class);
  static final Duration GROUP_WAIT = Duration.ofSeconds(2);
  static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
  static final Duration SMTP_TIMEOUT = Duration.ofSeconds(30);
  static final int QUEUE_LIMIT = 10_000;
  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Recipients recipients;
  private final Dispatcher dispatcher;
  private final NotificationLog reads;
  private final ReconcileLoop loop;
  private final Clock clock;

  /** A notice as handed in, and when: its group wait counts from then. */
  private record Queued(AlertNotice notice, Instant at) {}

  Notifications(StateStore store, Singletons singletons, Recipients recipients, Sender sender, NotifyConfig config,
                Duration groupWait, String writer, Clock clock, Supplier<String> externalUrl) {
    this.recipients = recipients;
    this.clock = clock;
    this.reads = new NotificationLog(store, writer);
    this.dispatcher = new Dispatcher(new Outbox(singletons.store()), new NotificationLog(singletons.store(), writer), sender,
        config.repeat(), groupWait, clock, externalUrl);
    Gate gate = singletons.gate();
    this.loop = ReconcileLoop.named("alert-notifications").every(Dispatcher.IDLE).gate(gate)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).buildPaced(this::pass);
  }

  /**
   * Notifications as {@code config} says, on {@code store}, written through the leader's {@code singletons}; {@code writer}
   * (the manager's name) keeps log keys of two managers apart; {@code externalUrl} is the Berth API's URL
   * ({@code http://host:port}), where links in notifications point.
   */
  public static Notifications create(StateStore store, Singletons singletons, StoreAccess access, NotifyConfig config, String writer,
                                     Clock clock, Supplier<String> externalUrl) {
    Sender mail = config.smtp() == null ? Sender.NO_SMTP
        : new Mailer(new SmtpClient(config.smtp(), writer, SMTP_TIMEOUT), config.smtpFrom(), clock);
    return new Notifications(store, singletons, new Recipients(access.users(), access.members()),
        Sender.byKind(new WebhookSender(WEBHOOK_TIMEOUT), mail), config, GROUP_WAIT, writer, clock, externalUrl);
  }

  public Notifications start() {
    loop.start();
    return this;
  }

  /** Queues the notice and returns at once; the loop's next pass enters and sends it. */
  @Override
  public void deliver(AlertNotice notice) {
    if (queued.incrementAndGet() > QUEUE_LIMIT) {
      queued.decrementAndGet();
      log.warn("alert-notice-dropped notice={} reason=queue-full ({} waiting)", notice.id(), QUEUE_LIMIT);
      return;
    }
    queue.add(new Queued(notice, clock.instant()));
    loop.signal();
  }

  /** A pass at once (this manager was elected: the outbox may hold what the last leader left). */
  public void signal() {
    loop.signal();
  }

  /** Enters the queued notices (each leaves the queue only once the outbox has it), then sends what is due. */
  Duration pass() throws InterruptedException {
    for (Queued q = queue.peek(); q != null; q = queue.peek()) {
      if (!dispatcher.accept(q.notice(), recipients.of(q.notice()), q.at())) log.info("alert-notice-seen-before notice={}", q.notice().id());
      queue.poll();
      queued.decrementAndGet();
    }
    return dispatcher.pass();
  }

  /** Adds {@code GET /v1/alerts/notifications[?app=APP&limit=N]} to the API: the newest first, for administrators. */
  public Notifications routes(Routes api) {
    api.get("/v1/alerts/notifications", r -> {
      StoreAccess.requireAdmin(r.principal(), "the alert notification log");
      return reads.read(r.query("app").filter(a -> !a.isBlank()).orElse(null), limit(r.query("limit").orElse("100")));
    });
    return this;
  }

  static int limit(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= NotificationLog.KEEP) return n;
    } catch (NumberFormatException e) {
      // answered below, in words
    }
    throw new BerthException.Invalid("limit must be a number from 1 to " + NotificationLog.KEEP + ": " + text);
  }

  /** Queued notices not yet in the outbox (tests, metrics). */
  int queued() {
    return queued.get();
  }

  List<NotificationLog.Notification> recent(String app, int limit) {
    return reads.read(app, limit);
  }

  @Override
  public void close() {
    loop.stop();
  }
}

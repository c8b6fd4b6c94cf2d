package io.berth.manager.notify;

/** Carries one message to its receiver; never throws: every failure is an {@link Outcome}. */
@FunctionalInterface
interface Sender {
  Outcome send(Message m);

  /** Webhooks to {@code webhooks}, e-mail to {@code mail}. */
  static Sender byKind(Sender webhooks, Sender mail) {
    return m -> switch (m.receiver().kind()) {
      case WEBHOOK -> webhooks.send(m);
      case EMAIL -> mail.send(m);
    };
  }

  /** What e-mail receivers get when the manager has no {@code --smtp}: a clear no, recorded in the notification log. */
  Sender NO_SMTP = m -> new Outcome.Rejected("no SMTP server: start the manager with --smtp HOST:PORT --smtp-from ADDRESS");
}

package io.berth.manager.notify;

import java.time.Clock;
import java.util.UUID;

/** E-mail receivers' sender: a message as plain text through the {@code --smtp} server, from {@code --smtp-from}. */
final class Mailer implements Sender {
  private final SmtpClient smtp;
  private final String from;
  private final Clock clock;

  Mailer(SmtpClient smtp, String from, Clock clock) {
    this.smtp = smtp;
    this.from = from;
    this.clock = clock;
  }

  @Override
  public Outcome send(Message m) {
    String domain = from.substring(from.indexOf('@') + 1);
    String text = MailText.rfc5322(m, from, clock.instant(), UUID.randomUUID() + "@" + domain);
    return smtp.send(from, m.receiver().target(), text);
  }
}

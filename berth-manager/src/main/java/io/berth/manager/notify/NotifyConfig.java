package io.berth.manager.notify;

import io.berth.core.Addresses;
import io.berth.core.Durations;
import io.berth.manager.identity.Users;
import java.time.Duration;

/**
 * How alert notifications leave the manager: the SMTP server e-mail goes through ({@code --smtp}, {@code --smtp-from};
 * null: no e-mail, webhooks only) and how often a firing alert is told again ({@code --alert-repeat}).
 */
public record NotifyConfig(Addresses.HostPort smtp, String smtpFrom, Duration repeat) {
  /** The default {@code --alert-repeat}, Alertmanager's {@code repeat_interval}. */
  public static final Duration REPEAT = Duration.ofHours(4);
  public static final NotifyConfig NONE = new NotifyConfig(null, null, REPEAT);

  public NotifyConfig {
    if (repeat == null) repeat = REPEAT;
    if (repeat.compareTo(Duration.ofMinutes(1)) < 0 || repeat.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("--alert-repeat must be from 1m to 7d, not " + Durations.words(repeat));
    }
    if (smtp != null && smtpFrom == null) {
      throw new IllegalArgumentException("--smtp needs --smtp-from: the address notifications are sent from");
    }
    if (smtp == null && smtpFrom != null) throw new IllegalArgumentException("--smtp-from needs --smtp: the server mail goes through");
    if (smtpFrom != null) {
      try {
        smtpFrom = Users.checkEmail(smtpFrom);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--smtp-from: " + e.getMessage());
      }
    }
  }

  /** The flags as typed: {@code --smtp HOST:PORT} (null: none), {@code --smtp-from ADDRESS}, {@code --alert-repeat DURATION}. */
  public static NotifyConfig of(String smtp, String smtpFrom, Duration repeat) {
    return new NotifyConfig(smtp == null ? null : Addresses.parse("--smtp", smtp), smtpFrom, repeat);
  }
}

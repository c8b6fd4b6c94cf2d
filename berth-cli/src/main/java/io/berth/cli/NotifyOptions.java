package io.berth.cli;

import io.berth.manager.notify.NotifyConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Alert notifications' flags, shared by {@code berth manage} and {@code berth dev}: the SMTP server e-mail goes through, and reminders. */
final class NotifyOptions {
  @Option(names = "--smtp", paramLabel = "HOST:PORT",
      description = "Send alert e-mail through this SMTP server (plain SMTP: no TLS or AUTH; a relay on the manager's network).")
  String smtp;

  @Option(names = "--smtp-from", paramLabel = "ADDRESS", description = "The address alert e-mail comes from (with --smtp).")
  String smtpFrom;

  @Option(names = "--alert-repeat", defaultValue = "4h", converter = Flags.DurationConverter.class, paramLabel = "DURATION",
      description = "Tell a firing alert again this often until it resolves (default: ${DEFAULT-VALUE}; 1m to 7d).")
  Duration repeat;

  /** The flags as the manager takes them; a bad one stops the start with one line. */
  NotifyConfig config() {
    return NotifyConfig.of(smtp, smtpFrom, repeat);
  }
}

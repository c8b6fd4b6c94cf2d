package io.berth.manager.notify;

import io.berth.core.alert.AlertNotice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.stream.Collectors;

/** A message as a plain-text e-mail: {@code [FIRING] app web: high-cpu}, one paragraph per alert. */
final class MailText {
  private MailText() {}

  static String subject(Message m) {
    long firing = m.count(AlertNotice.Status.FIRING);
    String tag = firing > 0 ? "FIRING" + (firing > 1 ? ":" + firing : "") : "RESOLVED" + (m.notices().size() > 1 ? ":" + m.notices().size() : "");
    return "[" + tag + "] app " + m.app() + ": " + m.notices().stream().map(AlertNotice::rule).distinct().collect(Collectors.joining(", "));
  }

  static String body(Message m) {
    StringBuilder b = new StringBuilder();
    for (AlertNotice n : m.notices()) {
      b.append(WebhookPayload.word(n.status()).toUpperCase()).append(": ").append(n.rule())
          .append(n.severity() == null ? "" : " (" + n.severity() + ")").append('\n');
      if (n.summary() != null) b.append("  ").append(n.summary()).append('\n');
      if (n.expression() != null) b.append("  rule: ").append(n.expression()).append('\n');
      b.append("  since: ").append(n.startsAt()).append('\n');
      if (n.endsAt() != null) b.append("  resolved: ").append(n.endsAt()).append('\n');
      b.append('\n');
    }
    if (m.externalUrl() != null && !m.externalUrl().isEmpty()) b.append("App: ").append(m.externalUrl()).append("/#/apps/").append(m.app()).append('\n');
    b.append("-- \nBerth alert notifications; berth alert ls ").append(m.app()).append(" lists the rules.\n");
    return b.toString();
  }

  /** The whole RFC 5322 message, CRLF line ends, UTF-8 body, before dot-stuffing. */
  static String rfc5322(Message m, String from, Instant now, String messageId) {
    String head = "From: Berth <" + from + ">\r\n"
        + "To: " + m.receiver().target() + "\r\n"
        + "Subject: " + header(subject(m)) + "\r\n"
        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(ZoneOffset.UTC)) + "\r\n"
        + "Message-ID: <" + messageId + ">\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n"
        + "\r\n";
    return head + body(m).replace("\r", "").replace("\n", "\r\n");
  }

  /** A header value: as is when plain ASCII, else RFC 2047 base64; line breaks never pass. */
  static String header(String value) {
    String flat = value.replaceAll("[\\r\\n]+", " ");
    if (flat.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) return flat;
    return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(flat.getBytes(StandardCharsets.UTF_8)) + "?=";
  }
}

package io.berth.core.alert;

import io.berth.core.Durations;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a rule as written and fills its defaults ({@code for} 0s, severity warning), naming every
 * problem at once: the expression's bad part, a duration, a webhook that is not http(s), an
 * address that is not one.
 */
public final class AlertRules {
  public static final List<String> SEVERITIES = List.of("info", "warning", "critical");
  public static final String DEFAULT_SEVERITY = "warning";
  /** A day: Prometheus allows longer, but a rule that must hold that long is a report, not an alert. */
  static final Duration MAX_FOR = Duration.ofDays(1);
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern WEBHOOK = Pattern.compile("https?://[^\\s/?#@]+(/[^\\s]*)?", Pattern.CASE_INSENSITIVE);
  static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\".]+");

  private AlertRules() {}

  /**
   * The rule with its defaults, once every field is valid; otherwise an {@code InvalidAlertRule}
   * whose message lists each problem by field ({@code when: unknown metric 'cpux' at 1: …}).
   */
  public static AlertRule check(String app, String name, String when, String forDuration, String severity, List<String> webhooks,
                                List<String> emails, AlertRule.Source source, String by, Instant at) {
    String path = source == AlertRule.Source.MANIFEST ? "alerts." + (name == null ? "?" : name) + "." : "";
    Problems p = new Problems();
    if (name == null || name.isBlank()) p.add(path + "name", "required, e.g. high-cpu");
    else if (!NAME.matcher(name).matches()) {
      p.add(path + "name", "must be lower-case letters, digits and '-' (1-63), starting and ending with a letter or digit, got "
          + Problems.quote(name));
    }
    if (when == null || when.isBlank()) p.add(path + "when", "required, e.g. cpu > 80%");
    else {
      try {
        AlertExpression.parse(when);
      } catch (BerthException.Invalid e) {
        p.add(path + "when", e.getMessage());
      }
    }
    String forText = forDuration == null || forDuration.isBlank() ? "0s" : forDuration.trim();
    try {
      if (Durations.parse(forText).compareTo(MAX_FOR) > 0) p.add(path + "for", "must be at most 1d, got " + forText);
    } catch (IllegalArgumentException e) {
      p.add(path + "for", e.getMessage());
    }
    String sev = severity == null || severity.isBlank() ? DEFAULT_SEVERITY : severity.trim();
    if (!SEVERITIES.contains(sev)) p.add(path + "severity", "must be one of " + String.join(", ", SEVERITIES) + ", got " + Problems.quote(sev));
    List<String> hooks = webhooks == null ? List.of() : webhooks;
    for (String w : hooks) {
      if (w == null || !WEBHOOK.matcher(w).matches()) {
        p.add(path + "webhooks", "must be an http:// or https:// URL with a host, got " + (w == null ? "null" : Problems.quote(w)));
      }
    }
    List<String> mails = emails == null ? List.of() : emails;
    for (String e : mails) {
      if (e == null || !EMAIL.matcher(e).matches()) p.add(path + "emails", "not an e-mail address: " + (e == null ? "null" : Problems.quote(e)));
    }
    p.throwIfAny("InvalidAlertRule");
    return new AlertRule(app, name, when.trim(), forText, sev, hooks, mails, source, by, at);
  }
}

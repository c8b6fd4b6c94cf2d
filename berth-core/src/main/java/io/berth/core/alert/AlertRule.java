package io.berth.core.alert;

import io.berth.core.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One alert rule of one app. A rule comes from one of two places, and {@code source} says which:
 * {@code berth alert add} writes it to the store ({@link Source#CLI}); the app's manifest carries
 * it with each version ({@link Source#MANIFEST}), so a deploy replaces those and leaves the others.
 *
 * @param when the expression as written ({@code cpu > 80%}); {@code forDuration} as written ({@code 2m})
 * @param webhooks, emails the receivers; both empty: the app's owners and masters
 */
public record AlertRule(String app, String name, String when, String forDuration, String severity, List<String> webhooks,
                        List<String> emails, Source source, String createdBy, Instant createdAt) {
  public AlertRule {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    emails = emails == null ? List.of() : List.copyOf(emails);
  }

  /** Where a rule was written. */
  public enum Source {
    CLI, MANIFEST;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The parsed expression; the rule must have been checked ({@link AlertRules#check}). */
  public AlertExpression expression() {
    return AlertExpression.parse(when);
  }

  public Duration forPeriod() {
    return Durations.parse(forDuration);
  }

  /** {@code APP/RULE}, as the CLI names a rule. */
  public String id() {
    return app + "/" + name;
  }
}

package io.berth.core.alert;

import java.time.Instant;
import java.util.List;

/**
 * One transition of one alert that people are told about: it began firing, or it resolved. The
 * evaluator makes one per transition; notifications group them per app and deliver each once.
 *
 * @param id stable for the transition ({@code APP/RULE/STARTS_AT_MILLIS/firing|resolved}), so a
 *     notice seen twice (for example across a manager failover) is delivered once
 * @param value the expression's value when it was evaluated; {@code summary} a sentence for people
 *     ("cpu 92 % > 80 % for 2m")
 * @param endsAt null while firing
 * @param webhooks, emails the receivers the rule names; both empty: the app's Owner and Master members
 */
public record AlertNotice(String id, String app, String rule, String severity, Status status, String expression,
                          double value, String summary, Instant startsAt, Instant endsAt, List<String> webhooks,
                          List<String> emails) {
  /** Alertmanager's two states. */
  public enum Status { FIRING, RESOLVED }

  public AlertNotice {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    emails = emails == null ? List.of() : List.copyOf(emails);
  }
}

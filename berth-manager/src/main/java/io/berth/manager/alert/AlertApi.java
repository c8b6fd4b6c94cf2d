package io.berth.manager.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.Durations;
import io.berth.core.alert.AlertExpression;
import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertRules;
import io.berth.core.alert.AlertState;
import io.berth.core.alert.AlertTransition;
import io.berth.core.alert.PrometheusRules;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Request;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The alert routes (docs/alerts.md): an app's rules under {@code /v1/apps/{name}/alerts}, read with
 * READ on the app and changed with ALERTS (owner or master); the cluster's view under
 * {@code /v1/alerts}, each caller seeing the apps they may read (administrators: all).
 */
final class AlertApi {
  static final Duration MAX_MUTE = Duration.ofDays(30);
  private final AlertStore store;
  private final RuleBook rules;
  private final Clock clock;
  private volatile Access access;

  AlertApi(AlertStore store, RuleBook rules, Clock clock) {
    this.store = store;
    this.rules = rules;
    this.clock = clock;
  }

  void guardWith(Access a) {
    this.access = a;
  }

  /** What {@code berth alert add} sends. */
  record RuleRequest(String name, String when, @JsonProperty("for") String forDuration, String severity, List<String> webhooks,
                     List<String> emails) {}

  /** What {@code berth alert mute} sends. */
  record MuteRequest(@JsonProperty("for") String forDuration) {}

  /** A rule as the API shows it, with where it stands. */
  record RuleView(String app, String name, String when, @JsonProperty("for") String forDuration, String severity, List<String> webhooks,
                  List<String> emails, String source, String createdBy, Instant createdAt, String state, Instant activeSince,
                  Double value, String valueText, Instant mutedUntil) {}

  /** A transition as the API shows it. */
  record TransitionView(Instant at, String app, String rule, String from, String to, Double value, String expression, String severity) {}

  void addRoutes(Routes r) {
    r.get("/v1/apps/{name}/alerts", req -> views(rules.of(may(req, Action.READ))))
        .post("/v1/apps/{name}/alerts", req -> Routes.Reply.json(201, add(req)))
        .delete("/v1/apps/{name}/alerts/{rule}", req -> {
          String app = may(req, Action.ALERTS);
          AlertRule rule = rules.rule(app, req.param("rule"));
          if (rule.source() == AlertRule.Source.MANIFEST) {
            throw new BerthException.Conflict("AlertRuleInManifest", rule.id() + " comes from the app's manifest: remove it there and deploy");
          }
          store.remove(app, rule.name());
          return null;
        })
        .post("/v1/apps/{name}/alerts/{rule}/mute", req -> {
          String app = may(req, Action.ALERTS);
          MuteRequest m = req.body(MuteRequest.class);
          Duration d = muteFor(m.forDuration());
          AlertRule rule = rules.rule(app, req.param("rule"));
          store.mute(app, rule.name(), new AlertStore.Mute(clock.instant().plus(d), req.principal().user()));
          return view(rule, store.states(), store.mutes());
        })
        .delete("/v1/apps/{name}/alerts/{rule}/mute", req -> {
          String app = may(req, Action.ALERTS);
          AlertRule rule = rules.rule(app, req.param("rule"));
          store.unmute(app, rule.name());
          return view(rule, store.states(), store.mutes());
        })
        .get("/v1/apps/{name}/alerts/history", req -> {
          String app = may(req, Action.READ);
          rules.of(app); // a 404 for an app that is not there
          return history(t -> t.app().equals(app), limit(req));
        })
        .get("/v1/alerts", req -> {
          List<RuleView> out = new ArrayList<>();
          Map<String, AlertState> states = store.states();
          Map<String, AlertStore.Mute> mutes = store.mutes();
          for (List<AlertRule> appRules : rules.all().values()) {
            for (AlertRule rule : appRules) {
              AlertState s = states.get(rule.id());
              if (s != null && !s.phase().quiet() && readable(req.principal()).test(rule.app())) out.add(view(rule, states, mutes));
            }
          }
          return out;
        })
        .get("/v1/alerts/history", req -> {
          Predicate<String> readable = readable(req.principal());
          String app = req.query("app").orElse(null);
          return history(t -> (app == null || t.app().equals(app)) && readable.test(t.app()), limit(req));
        })
        .get("/v1/alerts/rules.yml", req -> {
          Predicate<String> readable = readable(req.principal());
          List<AlertRule> mine = new ArrayList<>();
          for (Map.Entry<String, List<AlertRule>> e : rules.all().entrySet()) if (readable.test(e.getKey())) mine.addAll(e.getValue());
          return new Routes.Reply(200, "application/yaml; charset=utf-8", PrometheusRules.render(mine).getBytes(StandardCharsets.UTF_8));
        });
  }

  private RuleView add(Request req) throws IOException {
    String app = may(req, Action.ALERTS);
    RuleRequest b = req.body(RuleRequest.class);
    rules.of(app); // a 404 for an app that is not there, before the rule's own problems
    AlertRule rule = AlertRules.check(app, b.name(), b.when(), b.forDuration(), b.severity(), b.webhooks(), b.emails(),
        AlertRule.Source.CLI, req.principal().user(), clock.instant());
    AlertExpression x = rule.expression();
    if (x.metric().adminOnly() && !req.principal().admin()) {
      throw new BerthException.Forbidden(x.metric().word() + " is the cluster's: only an administrator may write a rule on it");
    }
    if (rules.of(app).stream().anyMatch(r -> r.name().equals(rule.name()) && r.source() == AlertRule.Source.MANIFEST)) {
      throw new BerthException.Conflict("AlertRuleExists", "app " + app + "'s manifest has a rule named " + rule.name() + ": choose another name");
    }
    store.add(rule);
    return view(rule, Map.of(), store.mutes());
  }

  private List<RuleView> views(List<AlertRule> list) {
    Map<String, AlertState> states = store.states();
    Map<String, AlertStore.Mute> mutes = store.mutes();
    return list.stream().map(rule -> view(rule, states, mutes)).toList();
  }

  private RuleView view(AlertRule r, Map<String, AlertState> states, Map<String, AlertStore.Mute> mutes) {
    AlertState s = states.getOrDefault(r.id(), AlertState.NEW);
    AlertStore.Mute m = mutes.get(r.id());
    Instant until = m != null && m.until().isAfter(clock.instant()) ? m.until() : null;
    Double value = Double.isNaN(s.value()) ? null : s.value();
    return new RuleView(r.app(), r.name(), r.when(), r.forDuration(), r.severity(), r.webhooks(), r.emails(), r.source().word(),
        r.createdBy(), r.createdAt(), s.phase().word(), s.activeSince(), value, value == null ? null : r.expression().format(value), until);
  }

  private List<TransitionView> history(Predicate<AlertTransition> keep, int limit) {
    return store.history(keep, limit).stream().map(t -> new TransitionView(t.at(), t.app(), t.rule(), t.from().word(), t.to().word(),
        Double.isNaN(t.value()) ? null : t.value(), t.expression(), t.severity())).toList();
  }

  private Predicate<String> readable(Principal p) {
    return app -> access.allows(p, ResourceKind.APP, app, Action.READ);
  }

  /** The app in the path, once the caller may take {@code action} on it (403 naming the role it needs). */
  private String may(Request req, Action action) {
    String app = req.param("name");
    access.require(req.principal(), ResourceKind.APP, app, action);
    return app;
  }

  static Duration muteFor(String text) {
    if (text == null || text.isBlank()) throw new BerthException.Invalid("for: required, e.g. {\"for\": \"1h\"}");
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid("for: " + e.getMessage());
    }
    if (d.isZero() || d.compareTo(MAX_MUTE) > 0) throw new BerthException.Invalid("for: must be more than 0 and at most 30d, got " + text);
    return d;
  }

  static int limit(Request req) {
    String s = req.query("limit").orElse("100");
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= AlertStore.HISTORY_KEPT) return n;
    } catch (NumberFormatException e) {
      // worded below
    }
    throw new BerthException.Invalid("limit must be from 1 to " + AlertStore.HISTORY_KEPT + ", got " + s);
  }
}

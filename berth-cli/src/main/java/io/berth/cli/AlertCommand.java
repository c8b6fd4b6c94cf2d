package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth alert …}: an app's alert rules, their mutes and the transitions they went through (docs/alerts.md). */
@Command(name = "alert", mixinStandardHelpOptions = true,
    description = "Alert rules of apps: add, list, remove, mute, unmute, and their history.",
    subcommands = {AlertCommand.Add.class, AlertCommand.Ls.class, AlertCommand.Rm.class, AlertCommand.Mute.class, AlertCommand.Unmute.class,
        AlertCommand.History.class})
final class AlertCommand extends CommandGroup {
  /** {@code APP/RULE} as the API's path: {@code /v1/apps/APP/alerts/RULE}. */
  static String rulePath(ApiCommand c, String id) {
    int slash = id.indexOf('/');
    if (slash < 1 || slash == id.length() - 1 || id.indexOf('/', slash + 1) >= 0) {
      throw new ParameterException(c.spec.commandLine(), "name a rule as APP/RULE, e.g. web/high-cpu, got '" + id + "'");
    }
    return "/v1/apps/" + ApiClient.segment(id.substring(0, slash)) + "/alerts/" + ApiClient.segment(id.substring(slash + 1));
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an alert rule to an app (owner or master).")
  static final class Add extends ApiCommand {
    @Parameters(paramLabel = "APP", description = "The app.")
    String app;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The rule's name, e.g. high-cpu.")
    String name;

    @Option(names = "--when", required = true, paramLabel = "EXPR", description = "When it fires, e.g. 'cpu > 80%%', 'restarts[10m] > 3'.")
    String when;

    @Option(names = "--for", paramLabel = "DURATION", description = "How long EXPR must hold before it fires (default 0s), e.g. 2m.")
    String forDuration;

    @Option(names = "--severity", paramLabel = "LEVEL", description = "info, warning (the default) or critical.")
    String severity;

    @Option(names = "--webhook", paramLabel = "URL", description = "An http(s) URL told in Alertmanager's webhook format; repeat for more.")
    List<String> webhooks;

    @Option(names = "--email", paramLabel = "ADDRESS", description = "An address to mail; repeat for more. With neither: the app's owners and masters.")
    List<String> emails;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("when", when);
      if (forDuration != null) body.put("for", forDuration);
      if (severity != null) body.put("severity", severity);
      body.put("webhooks", webhooks == null ? List.of() : webhooks);
      body.put("emails", emails == null ? List.of() : emails);
      JsonNode r = api().post("/v1/apps/" + ApiClient.segment(app) + "/alerts", Json.bytes(body));
      out().println("added " + app + "/" + r.path("name").asText() + ": " + r.path("when").asText() + " for " + r.path("for").asText()
          + " (" + r.path("severity").asText() + ")");
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
      description = "List an app's rules, or the alerts pending and firing in every app you may read.")
  static final class Ls extends TableView {
    @Parameters(arity = "0..1", paramLabel = "APP", description = "The app; without it, the alerts now pending or firing.")
    String app;

    @Override
    String path() {
      return app == null ? "/v1/alerts" : "/v1/apps/" + ApiClient.segment(app) + "/alerts";
    }

    @Override
    void print(JsonNode rules) {
      Instant now = Instant.now();
      new Table("RULE", "WHEN", "FOR", "SEVERITY", "STATE", "SINCE", "VALUE", "SOURCE", "MUTED")
          .rows(rules, r -> new Object[] {r.path("app").asText() + "/" + r.path("name").asText(), r.path("when").asText(),
              r.path("for").asText(), r.path("severity").asText(), r.path("state").asText(), AppViews.ago(r.path("active_since"), now),
              text(r, "value_text"), r.path("source").asText(), r.path("muted_until").isTextual() ? "until " + r.path("muted_until").asText() : "-"})
          .print(out());
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a rule added with 'berth alert add' (a manifest's go with a deploy).")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "APP/RULE", description = "The rule, e.g. web/high-cpu.")
    String id;

    @Override
    public Integer call() {
      return deleted(rulePath(this, id), "removed " + id);
    }
  }

  @Command(name = "mute", mixinStandardHelpOptions = true, description = "Hold a rule's notifications back for a while; it is still evaluated.")
  static final class Mute extends ApiCommand {
    @Parameters(paramLabel = "APP/RULE", description = "The rule, e.g. web/high-cpu.")
    String id;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long, e.g. 1h (at most 30d).")
    String forDuration;

    @Override
    public Integer call() {
      JsonNode r = api().post(rulePath(this, id) + "/mute", Json.bytes(Map.of("for", forDuration)));
      out().println("muted " + id + " until " + r.path("muted_until").asText());
      return 0;
    }
  }

  @Command(name = "unmute", mixinStandardHelpOptions = true, description = "Let a muted rule's notifications through again.")
  static final class Unmute extends ApiCommand {
    @Parameters(paramLabel = "APP/RULE", description = "The rule, e.g. web/high-cpu.")
    String id;

    @Override
    public Integer call() {
      return deleted(rulePath(this, id) + "/mute", "unmuted " + id);
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "The newest transitions of alerts: of one app, or of every app you may read.")
  static final class History extends TableView {
    @Parameters(arity = "0..1", paramLabel = "APP", description = "The app.")
    String app;

    @Option(names = "--limit", paramLabel = "N", description = "At most N transitions (1 to 1000, default 100).")
    Integer limit;

    @Override
    String path() {
      String base = app == null ? "/v1/alerts/history" : "/v1/apps/" + ApiClient.segment(app) + "/alerts/history";
      return limit == null ? base : base + "?limit=" + limit;
    }

    @Override
    void print(JsonNode transitions) {
      new Table("AT", "RULE", "FROM", "TO", "VALUE", "WHEN")
          .rows(transitions, t -> new Object[] {t.path("at").asText(), t.path("app").asText() + "/" + t.path("rule").asText(),
              t.path("from").asText(), t.path("to").asText(), t.path("value").isNumber() ? t.path("value").asText() : "-",
              t.path("expression").asText()})
          .print(out());
    }
  }
}

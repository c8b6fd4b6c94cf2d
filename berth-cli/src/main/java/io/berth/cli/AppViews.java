package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The {@code berth app} commands that only read: tables of the apps API's answers, or its JSON with {@code --json}. */
final class AppViews {
  private AppViews() {}

  /** A view of one app: its NAME, and the path under the app's own that it GETs. */
  abstract static class OfApp extends TableView {
    @Parameters(paramLabel = "NAME", description = "The app.")
    String name;

    private final String below;

    OfApp(String below) {
      this.below = below;
    }

    @Override
    String path() {
      return AppCommand.path(name) + below;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List the apps with their latest version and healthy instances.")
  static final class Ls extends TableView {
    @Override
    String path() {
      return "/v1/apps";
    }

    @Override
    void print(JsonNode apps) {
      table(apps).print(out());
    }

    /** The apps' table, as this command and the quick path ({@link QuickViews}) print it. */
    static Table table(JsonNode apps) {
      return new Table("NAME", "VERSION", "INSTANCES", "HEALTHY", "ROUTES", "ROLLOUT")
          .rows(apps, a -> new Object[] {a.path("name").asText(), "v" + a.path("latest_version").asInt(), a.path("instances").asInt(),
              healthy(a), ApiCommand.joined(a.path("routes")), rollout(a.path("rollout"))});
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show an app: its versions with instances now, and its last rollout.")
  static final class Status extends OfApp {
    Status() {
      super("");
    }

    @Override
    void print(JsonNode a) {
      new Table("NAME", a.path("name").asText())
          .row("OWNER", text(a, "owner"))
          .row("CREATED", text(a, "created_at"))
          .row("ROUTER_GROUP", text(a, "router_group"))
          .row("ROUTES", ApiCommand.joined(a.path("routes")))
          .row("INSTANCES", a.path("instances").asInt() + " desired, " + healthy(a) + " healthy")
          .row("LATEST", "v" + a.path("latest_version").asInt())
          .print(out());
      out().println();
      new Table("VERSION", "IMAGE", "INSTANCES", "ROUTED", "RUNNING")
          .rows(a.path("versions"), v -> new Object[] {"v" + v.path("version").asInt(), text(v, "image"), v.path("instances").asInt(),
              v.path("routed").asInt(), v.path("running").asInt()})
          .print(out());
      out().println();
      JsonNode r = a.path("rollout");
      if (!r.isObject()) {
        out().println("ROLLOUT   -");
        return;
      }
      List<String> from = new ArrayList<>();
      r.path("from").forEach(v -> from.add("v" + v.asInt()));
      new Table("ROLLOUT", r.path("action").asText() + " v" + r.path("to").asInt() + " (" + text(r, "strategy") + ")"
          + (from.isEmpty() ? "" : " from " + String.join(", ", from)) + " by " + text(r, "user"))
          .row("PHASE", text(r, "phase"))
          .row("MESSAGE", text(r, "message"))
          .row("STARTED", text(r, "started_at"))
          .row("FINISHED", text(r, "finished_at"))
          .print(out());
    }
  }

  @Command(name = "ps", mixinStandardHelpOptions = true, description = "List the app's instances, by version then index.")
  static final class Ps extends OfApp {
    Ps() {
      super("/instances");
    }

    @Override
    void print(JsonNode instances) {
      Instant now = Instant.now();
      new Table("VERSION", "INDEX", "STATE", "NODE", "ADDRESS", "ROUTED", "SINCE", "CRASHES")
          .rows(instances, i -> new Object[] {"v" + i.path("version").asInt(), i.path("index").asInt(), text(i, "state"), text(i, "node"),
              address(i), i.path("routed").asBoolean() ? "yes" : "no", ago(i.path("since"), now), crashes(i)})
          .print(out());
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "List every version of the app, oldest first.")
  static final class History extends OfApp {
    History() {
      super("/versions");
    }

    @Override
    void print(JsonNode versions) {
      new Table("VERSION", "IMAGE", "DEPLOYED-BY", "DEPLOYED-AT", "ACTIVE", "NOTE")
          .rows(versions, v -> new Object[] {"v" + v.path("version").asInt(), text(v, "image"), text(v, "deployed_by"),
              text(v, "deployed_at"), v.path("active").asBoolean() ? "yes" : "no", text(v, "note")})
          .print(out());
    }
  }

  @Command(name = "events", mixinStandardHelpOptions = true, description = "List what was done to the app and how it ended, oldest first.")
  static final class Events extends OfApp {
    @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
    Integer limit;

    Events() {
      super("/events");
    }

    @Override
    String path() {
      if (limit != null && limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
      return super.path() + (limit == null ? "" : "?limit=" + limit);
    }

    @Override
    void print(JsonNode events) {
      new Table("TIME", "ACTION", "VERSION", "USER", "OUTCOME", "MESSAGE")
          .rows(events, e -> new Object[] {text(e, "time"), text(e, "action"),
              e.path("version").isNumber() ? "v" + e.path("version").asInt() : "-", text(e, "user"), text(e, "outcome"), text(e, "message")})
          .print(out());
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true,
      description = "Print the logs of the app's instances, each line as [v2/0] text (version/index).")
  static final class Logs extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The app.")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they come, until Ctrl-C.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Start with the last N lines.")
    Integer tail;

    @Override
    public Integer call() {
      if (tail != null && tail < 0) throw new ParameterException(spec.commandLine(), "--tail must be 0 or more, not " + tail);
      List<String> query = new ArrayList<>();
      if (follow) query.add("follow=true");
      if (tail != null) query.add("tail=" + tail);
      api().stream(AppCommand.path(name) + "/logs" + (query.isEmpty() ? "" : "?" + String.join("&", query)), out());
      return 0;
    }
  }

  /** {@code deploy v3 canary}: the rollout in the apps list, "-" when there is none. */
  static String rollout(JsonNode r) {
    return r.isObject() ? r.path("action").asText() + " v" + r.path("to").asInt() + " " + r.path("phase").asText() : "-";
  }

  /** How often an instance crashed, with why the last time when the manager knows. */
  static String crashes(JsonNode i) {
    String crashes = String.valueOf(i.path("crash_count").asInt());
    if (!i.path("crash_reason").asText("").isEmpty()) crashes += " (" + i.path("crash_reason").asText() + ")";
    return crashes;
  }

  /** Instances RUNNING (healthy) over all the app's versions. */
  static int healthy(JsonNode app) {
    int n = 0;
    for (JsonNode v : app.path("versions")) n += v.path("running").asInt();
    return n;
  }

  /** {@code 10.0.0.1:61000}, each host port of an instance, or its bare address when it has none. */
  static String address(JsonNode instance) {
    String address = instance.path("address").asText("");
    if (address.isEmpty()) return "-";
    List<String> ports = new ArrayList<>();
    instance.path("ports").forEach(p -> ports.add(address + ":" + p.path("host_port").asInt()));
    return ports.isEmpty() ? address : String.join(",", ports);
  }

  /**
   * How long ago an ISO-8601 time was ({@code 3m ago}), or a time in nanoseconds since the epoch
   * as Diego writes it; the text as it is when it is neither.
   */
  static String ago(JsonNode since, Instant now) {
    if (since.isNumber()) return LrpInstances.ago(since.asLong(), ChronoUnit.NANOS.between(Instant.EPOCH, now));
    String text = since.asText("");
    if (text.isEmpty()) return "-";
    try {
      return LrpInstances.ago(Duration.between(FastFormats.instant(text), now));
    } catch (DateTimeParseException e) {
      return text;
    }
  }
}

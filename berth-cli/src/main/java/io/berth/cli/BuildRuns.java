package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth build run|logs|cancel|runs}: a build's runs (docs/builds.md). */
final class BuildRuns {
  private BuildRuns() {}

  /** The runs as a table, oldest first. */
  static Table table(JsonNode runs) {
    return new Table("RUN", "STATE", "REF", "NODE", "STEP", "DURATION", "IMAGE / WHY").rows(runs, r -> new Object[] {
        r.path("number").isNumber() ? r.path("number").asText() : "-", state(r), ApiCommand.text(r, "ref"), ApiCommand.text(r, "node"),
        r.path("steps").size() == 0 ? "-" : r.path("steps").get(r.path("steps").size() - 1).path("name").asText(), duration(r),
        r.path("state").asText().equals("ok") ? ApiCommand.text(r, "image") : ApiCommand.text(r, "message")});
  }

  /** {@code queued (2nd)} while a run waits for its node's slot, else its state (a docker build's outcome). */
  static String state(JsonNode r) {
    String s = r.path("state").asText(r.path("outcome").asText("-"));
    if (s.equals("queued") && r.path("place").isNumber()) return "queued (" + ordinal(r.path("place").asInt()) + ")";
    return s;
  }

  static String ordinal(int n) {
    String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  private static String duration(JsonNode r) {
    if (!r.path("started_at").isTextual()) return "-";
    Instant start = Instant.parse(r.path("started_at").asText());
    Instant end = r.path("ended_at").isTextual() ? Instant.parse(r.path("ended_at").asText()) : Instant.now();
    Duration d = Duration.between(start, end);
    return d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run a build and follow its log until it ends; exit 1 when it failed.",
          "A run goes to the build node the build's name hashes to; past its slots it queues."})
  static final class Run extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Option(names = "--ref", paramLabel = "BRANCH|TAG|SHA", description = "What to build (default: the build's branch).")
    String ref;

    @Option(names = "--tag", paramLabel = "TAG", description = "The image tag (default: the commit's short id).")
    String tag;

    @Option(names = "--no-cache", description = "Ignore the build's caches and the engine's build cache.")
    boolean noCache;

    @Option(names = {"-d", "--detach"}, description = "Print the run's number and return at once.")
    boolean detach;

    @Override
    public Integer call() {
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (ref != null) body.put("ref", ref);
      if (tag != null) body.put("tag", tag);
      if (noCache) body.put("no_cache", true);
      JsonNode run = api().post(BuildCommand.path(name) + "/runs", Json.bytes(body));
      int n = run.path("number").asInt();
      if (detach) {
        out().println(n);
        return 0;
      }
      return follow(this, name, n);
    }
  }

  /** Follows run {@code n}'s log to its end (the manager's last line says how it ended); 0 when it ended ok. */
  static int follow(ApiCommand c, String build, int n) {
    String path = BuildCommand.path(build) + "/runs/" + n;
    c.api().stream(path + "/log?follow=1", c.out());
    return c.api().get(path).path("state").asText().equals("ok") ? 0 : 1;
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A run's log, each step with its duration and outcome.")
  static final class Logs extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The build.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RUN", description = "The run's number (default: the newest).")
    String run;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the run ends; exit 1 when it failed.")
    boolean follow;

    @Override
    public Integer call() {
      String n = run == null ? "last" : run;
      if (follow) return BuildRuns.follow(this, name, api().get(BuildCommand.path(name) + "/runs/" + n).path("number").asInt());
      api().stream(BuildCommand.path(name) + "/runs/" + n + "/log", out());
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a run (default: the newest).")
  static final class Cancel extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The build.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RUN", description = "The run's number.")
    String run;

    @Override
    public Integer call() {
      JsonNode r = api().post(BuildCommand.path(name) + "/runs/" + (run == null ? "last" : run) + "/cancel", null);
      out().println("run " + r.path("number").asText() + " of " + name + ": " + r.path("state").asText());
      return 0;
    }
  }

  @Command(name = "runs", mixinStandardHelpOptions = true, description = "A build's runs (the newest 50), with their place in the queue.")
  static final class Runs extends JsonView {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Override
    String path() {
      return BuildCommand.path(name) + "/runs";
    }

    @Override
    void print(JsonNode runs) {
      table(runs).print(out());
    }
  }
}

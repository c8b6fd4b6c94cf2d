package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth build …}: code builds, from a git repository to an image in Berth's registry (docs/builds.md). */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Code builds: clone a git repository on a build node, build its image, push it to Berth's registry, deploy it.",
    subcommands = {BuildCommand.Create.class, BuildCommand.Ls.class, BuildCommand.Get.class, BuildCommand.Edit.class, BuildCommand.Rm.class,
        BuildRuns.Run.class, BuildRuns.Logs.class, BuildRuns.Cancel.class, BuildRuns.Runs.class, BuildCommand.HookSecret.class})
final class BuildCommand extends CommandGroup {
  /** {@code /v1/builds/team%2Fapp}: the build's name is one path segment. */
  static String path(String name) {
    return "/v1/builds/" + ApiClient.segment(name);
  }

  /** The settings both create and edit take; a flag not given is left out of the body. */
  abstract static class Settings extends ApiCommand {
    @Option(names = "--git", paramLabel = "URL", description = "The git repository (https://, http://, git://, ssh:// or user@host:path).")
    String git;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch runs build and pushes trigger (default main).")
    String branch;

    @Option(names = "--dockerfile", paramLabel = "PATH", description = "The Dockerfile's path in the repository (default Dockerfile).")
    String dockerfile;

    @Option(names = "--context", paramLabel = "PATH", description = "The build context's path in the repository (default .).")
    String context;

    @Option(names = "--image", paramLabel = "REPO", description = "The registry repository to push to, e.g. team/app (default: the build's name).")
    String image;

    @Option(names = "--cache", paramLabel = "m2|npm|DIR", split = ",",
        description = "A cache directory kept between runs on the build node: m2, npm or a path under the build's directory. Repeatable.")
    List<String> caches;

    @Option(names = "--deploy", paramLabel = "APP", description = "Deploy each image built as a new version of APP (\"\" on edit: stop).")
    String deploy;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "A run's limit, e.g. 30m (default 30m).")
    String timeout;

    @Option(names = "--json", description = "Print the build as JSON.")
    boolean json;

    ObjectNode body(String name) {
      ObjectNode b = Json.MAPPER.createObjectNode();
      if (name != null) b.put("name", name);
      String[] fields = {"git_url", git, "branch", branch, "dockerfile", dockerfile, "context", context, "image", image, "deploy", deploy,
          "timeout", timeout};
      for (int i = 0; i < fields.length; i += 2) if (fields[i + 1] != null) b.put(fields[i], fields[i + 1]);
      if (caches != null) {
        ArrayNode a = b.putArray("caches");
        caches.forEach(a::add);
      }
      return b;
    }

    int done(JsonNode build, String verb) {
      if (json) printJson(build);
      else out().println(verb + " build " + build.path("name").asText() + ": " + build.path("git_url").asText() + " "
          + build.path("branch").asText() + " -> " + build.path("image").asText());
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Record a build; you become its owner.")
  static final class Create extends Settings {
    @Parameters(paramLabel = "NAME", description = "The build's name, e.g. team/app.")
    String name;

    @Override
    public Integer call() {
      if (git == null) throw new ParameterException(spec.commandLine(), "--git URL is required");
      return done(api().post("/v1/builds", Json.bytes(body(name))), "created");
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true, description = "Change a build's settings (those given; the rest stay).")
  static final class Edit extends Settings {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Override
    public Integer call() {
      return done(api().put(path(name), Json.bytes(body(null)), Map.of()), "changed");
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "The builds you are a member of.")
  static final class Ls extends JsonView {
    @Override
    String path() {
      return "/v1/builds";
    }

    @Override
    void print(JsonNode builds) {
      new Table("NAME", "GIT", "BRANCH", "IMAGE", "DEPLOY")
          .rows(builds, b -> new Object[] {b.path("name").asText(), text(b, "git_url"), text(b, "branch"), text(b, "image"), text(b, "deploy")})
          .print(out());
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "A build's settings and its recent runs (--json: with hook_secret, for its owners and masters).")
  static final class Get extends JsonView {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Override
    String path() {
      return BuildCommand.path(name);
    }

    @Override
    void print(JsonNode b) {
      out().println("build " + b.path("name").asText() + " (created by " + b.path("created_by").asText() + ")");
      for (String f : List.of("git_url", "branch", "dockerfile", "context", "image", "deploy", "timeout_seconds")) {
        if (!b.path(f).isMissingNode() && !b.path(f).isNull()) out().println("  " + f + ": " + b.path(f).asText());
      }
      if (b.path("caches").size() > 0) out().println("  caches: " + ApiCommand.joined(b.path("caches")));
      BuildRuns.table(b.path("runs")).print(out());
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a build with its runs and logs (owners only).")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Override
    public Integer call() {
      return deleted(path(name), "removed build " + name);
    }
  }

  @Command(name = "hook-secret", mixinStandardHelpOptions = true,
      description = "Print the build's webhook secret, or with --rotate make a new one (owners and masters).")
  static final class HookSecret extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The build.")
    String name;

    @Option(names = "--rotate", description = "Make a new secret; the old one stops working at once.")
    boolean rotate;

    @Override
    public Integer call() {
      JsonNode b = rotate ? api().post(path(name) + "/hook-secret", null) : api().get(path(name));
      String secret = b.path("hook_secret").asText("");
      if (secret.isEmpty()) throw new IllegalStateException("you may not see build " + name + "'s webhook secret: owners and masters may");
      out().println(secret);
      return 0;
    }
  }
}

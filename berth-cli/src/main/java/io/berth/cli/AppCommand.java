package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code berth app …}: apps described by a manifest, rolled out version by version through the
 * apps API (docs/app-cli.md). The commands that change an app are here and follow the rollout
 * they start; the ones that only read it are in {@link AppViews}.
 */
@Command(name = "app", mixinStandardHelpOptions = true,
    description = "Apps: deploy a manifest, follow its rollout, scale (or autoscale), roll back, promote or abort a canary, and see versions, "
        + "instances, events and logs.",
    subcommands = {AppCommand.Deploy.class, AppViews.Ls.class, AppViews.Status.class, AppViews.Ps.class, AppViews.History.class,
        AppViews.Events.class, AppViews.Logs.class, AppCommand.Scale.class, AppAutoscale.class, AppCommand.Rollback.class, AppCommand.Promote.class,
        AppCommand.Abort.class, AppCommand.Rm.class})
final class AppCommand extends CommandGroup {
  static String path(String name) {
    return "/v1/apps/" + ApiClient.segment(name);
  }

  /** A command that starts a rollout and, unless {@code --detach}, follows it to its end. */
  abstract static class Changing extends ApiCommand {
    @Option(names = {"-d", "--detach"}, description = "Return once the manager has accepted it, without following the rollout.")
    boolean detach;

    /** Prints the rollout the manager's answer started, then follows it unless detached. */
    int follow(JsonNode status, boolean aborting) {
      if (!detach) return RolloutProgress.follow(api(), status, aborting, out());
      out().println(RolloutProgress.progress(status) + "; berth app status " + status.path("name").asText());
      out().flush();
      return 0;
    }
  }

  /** A command that starts a rollout of one app, named by its NAME. */
  abstract static class ChangingApp extends Changing {
    @Parameters(paramLabel = "NAME", description = "The app.")
    String name;
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = "Deploy a manifest (YAML or JSON) as the app's next version and follow its rollout. A manifest with only name: and image: "
          + "keeps the rest of the previous version.")
  static final class Deploy extends Changing {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE|-", description = "The manifest; - reads standard input.")
    String file;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Deploy this image instead of the manifest's image:.")
    String image;

    @Option(names = "--dry-run", description = "Only have the manager check the manifest; nothing is deployed.")
    boolean dryRun;

    @Override
    public Integer call() {
      AppManifestText manifest = AppManifestText.of(file, Manifests.read(file, System.in), image);
      if (dryRun) {
        api().post("/v1/apps?dry_run=true", manifest.body(), manifest.contentType());
        out().println("manifest ok: " + manifest.name() + (manifest.image() == null ? "" : ", image " + manifest.image()));
        return 0;
      }
      return follow(api().post("/v1/apps", manifest.body(), manifest.contentType()), false);
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true, description = "Change how many instances the app runs, and follow it.")
  static final class Scale extends Changing {
    @Parameters(index = "0", paramLabel = "NAME", description = "The app.")
    String name;

    @Parameters(index = "1", paramLabel = "N", description = "The number of instances, 0 or more.")
    int instances;

    @Option(names = "--force", description = "Scale an autoscaled app anyway, turning its autoscaling off.")
    boolean force;

    @Override
    public Integer call() {
      if (instances < 0) throw new ParameterException(spec.commandLine(), "N must be 0 or more, not " + instances);
      Map<String, Object> body = new LinkedHashMap<>(Map.of("instances", instances));
      if (force) body.put("force", true);
      return follow(api().post(path(name) + "/scale", Json.bytes(body)), false);
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Roll the app out again at an earlier version (by default the one before the latest), and follow it.")
  static final class Rollback extends ChangingApp {
    @Option(names = "--to", paramLabel = "vN", converter = VersionConverter.class, description = "The version, e.g. v2 or 2 (see berth app history).")
    Integer to;

    @Override
    public Integer call() {
      byte[] body = Json.bytes(to == null ? Map.of() : Map.of("to", to));
      return follow(api().post(path(name) + "/rollback", body), false);
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Roll the waiting canary version out to every instance, and follow it.")
  static final class Promote extends ChangingApp {
    @Override
    public Integer call() {
      return follow(api().post(path(name) + "/promote", null), false);
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Stop the rollout in progress or the waiting canary and go back to the version before it, and follow it.")
  static final class Abort extends ChangingApp {
    @Override
    public Integer call() {
      return follow(api().post(path(name) + "/abort", null), true);
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove the app and stop its instances.")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The app.")
    String name;

    @Override
    public Integer call() {
      return deleted(path(name), "removed app " + name);
    }
  }

  /** Reads {@code v2} or {@code 2}. */
  static final class VersionConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String digits = value.startsWith("v") || value.startsWith("V") ? value.substring(1) : value;
      try {
        int v = Integer.parseInt(digits);
        if (v >= 1) return v;
      } catch (NumberFormatException e) {
        // the message below says the expected form
      }
      throw new TypeConversionException("a version is v1, v2 … (or 1, 2 …), not '" + value + "'");
    }
  }
}

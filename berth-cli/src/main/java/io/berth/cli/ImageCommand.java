package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth image …}: the repositories and tags of the manager's image registry (docs/registry.md). */
@Command(name = "image", mixinStandardHelpOptions = true,
    description = "List the image registry's repositories and tags you may see, delete tags, make repositories public or private.",
    subcommands = {ImageCommand.Ls.class, ImageCommand.Tags.class, ImageCommand.Rm.class, ImageCommand.Visibility.class})
final class ImageCommand extends CommandGroup {
  /** {@code /v1/images/team%2Fapp}: the repository is one path segment. */
  static String path(String repo) {
    return "/v1/images/" + ApiClient.segment(repo);
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
      description = "The repositories you are a member of (or of whose group), and the public ones.")
  static final class Ls extends JsonView {
    @Override
    String path() {
      return "/v1/images";
    }

    @Override
    void print(JsonNode repos) {
      new Table("REPOSITORY", "VISIBILITY", "TAGS")
          .rows(repos, r -> new Object[] {r.path("name").asText(), r.path("public").asBoolean() ? "public" : "private",
              ApiCommand.joined(r.path("tags"))})
          .print(out());
    }
  }

  @Command(name = "tags", mixinStandardHelpOptions = true, description = "A repository's tags, with their digests and sizes.")
  static final class Tags extends JsonView {
    @Parameters(paramLabel = "REPO", description = "The repository, e.g. team/app.")
    String repo;

    @Override
    String path() {
      return ImageCommand.path(repo) + "/tags";
    }

    @Override
    void print(JsonNode tags) {
      new Table("TAG", "DIGEST", "SIZE")
          .rows(tags, x -> new Object[] {x.path("tag").asText(), x.path("digest").asText(), size(x.path("size").asLong())})
          .print(out());
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = {"Delete a tag. The registry deletes the tag's manifest, so every tag on the same digest goes with it (they are listed)."})
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "REPO:TAG", description = "The tag to delete, e.g. team/app:v1.")
    String ref;

    @Override
    public Integer call() {
      int colon = ref.lastIndexOf(':');
      if (colon <= 0 || colon == ref.length() - 1 || ref.indexOf('/', colon) >= 0) {
        throw new ParameterException(spec.commandLine(), "name a tag as REPO:TAG (e.g. team/app:v1), not '" + ref + "'");
      }
      String repo = ref.substring(0, colon);
      JsonNode d = api().delete(path(repo) + "/tags/" + ApiClient.segment(ref.substring(colon + 1)));
      List<String> gone = new ArrayList<>();
      d.path("deleted_tags").forEach(x -> gone.add(x.asText()));
      out().println("deleted " + d.path("digest").asText() + " from " + repo + ": tag" + (gone.size() == 1 ? " " : "s ")
          + String.join(", ", gone));
      return 0;
    }
  }

  @Command(name = "visibility", mixinStandardHelpOptions = true,
      description = "Make a repository public (anyone may pull it, signed in or not) or private (members only).")
  static final class Visibility extends ApiCommand {
    @Parameters(index = "0", paramLabel = "REPO", description = "The repository, e.g. team/app.")
    String repo;

    @Parameters(index = "1", paramLabel = "public|private", description = "The new visibility.")
    String visibility;

    @Override
    public Integer call() {
      boolean pub = switch (visibility) {
        case "public" -> true;
        case "private" -> false;
        default -> throw new ParameterException(spec.commandLine(), "visibility is public or private, not '" + visibility + "'");
      };
      api().put(path(repo) + "/visibility", ("{\"public\": " + pub + "}").getBytes(StandardCharsets.UTF_8), Map.of());
      out().println(repo + ": " + visibility);
      return 0;
    }
  }

  /** Bytes as docker prints them: 1.2MB (powers of 1000). */
  static String size(long bytes) {
    if (bytes < 1000) return bytes + "B";
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int i = -1;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[i]);
  }
}

package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth token …}: API tokens, for scripts and CI. The manager keeps only a token's hash, so
 * {@code create} is the one time its text is seen; it goes alone on stdout so a script can take it.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens with an expiry: create, list, revoke.",
    subcommands = {TokenCommand.Create.class, TokenCommand.Ls.class, TokenCommand.Revoke.class})
final class TokenCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Make an API token for yourself and print it, once: the manager keeps only its hash.",
          "The token goes alone on stdout (TOKEN=$(berth token create --name ci)); what it is goes to stderr."})
  static final class Create extends ApiCommand {
    @Option(names = "--name", paramLabel = "N", description = "What it is for, e.g. ci.")
    String name;

    @Option(names = "--expires", paramLabel = "DURATION", description = "How long it works, e.g. 12h, 30d (default: the manager's).")
    String expires;

    @Option(names = "--json", description = "Print the API's JSON (with the token) instead.")
    boolean json;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      if (name != null) body.put("name", name);
      if (expires != null) body.put("expires_in", expires);
      JsonNode t = api().post("/v1/tokens", Json.bytes(body));
      if (json) {
        printJson(t);
        return 0;
      }
      out().println(t.path("token").asText());
      out().flush();
      err().println("token " + t.path("id").asText() + (name(t).equals("-") ? "" : " (" + name(t) + ")") + " for " + t.path("user").asText()
          + ", expires " + expiry(t.path("expires_at"), Instant.now()) + "; it is shown only this once");
      return 0;
    }
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
      description = "List the API and session tokens the manager shows you (administrators: everyone's), or one user's. Never their text.")
  static final class Ls extends TableView {
    @Option(names = "--user", paramLabel = "U", description = "Only the tokens of this user.")
    String user;

    @Override
    String path() {
      return "/v1/tokens" + (user == null ? "" : "?user=" + ApiClient.segment(user));
    }

    @Override
    void print(JsonNode tokens) {
      Instant now = Instant.now();
      new Table("ID", "NAME", "USER", "KIND", "CREATED", "EXPIRES")
          .rows(tokens, k -> new Object[] {k.path("id").asText(), name(k), k.path("user").asText(), text(k, "kind"),
              AppViews.ago(k.path("created_at"), now), k.path("revoked").asBoolean() ? "revoked" : expiry(k.path("expires_at"), now)})
          .print(out());
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token (see berth token ls for its ID); it stops working at once.")
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The token's id.")
    String id;

    @Override
    public Integer call() {
      return deleted("/v1/tokens/" + ApiClient.segment(id), "revoked token " + id);
    }
  }

  private static String name(JsonNode token) {
    return ApiCommand.text(token, "name");
  }

  /** {@code in 29d} or {@code expired 3h ago}; "never" when the manager gave no time. */
  static String expiry(JsonNode at, Instant now) {
    String text = at.asText("");
    if (text.isEmpty()) return "never";
    try {
      Duration left = Duration.between(now, Instant.parse(text));
      if (left.isNegative() || left.isZero()) return "expired " + LrpInstances.ago(left.negated());
      // Seen a moment after it was made, a 30d token has 30d less some milliseconds left: it reads "in 30d".
      return "in " + LrpInstances.ago(left.plusMillis(999)).replace(" ago", "");
    } catch (DateTimeParseException e) {
      return text;
    }
  }
}

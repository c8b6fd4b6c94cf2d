package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth domain …}: the freshness of domains, which gates convergence's destructive steps (lrps.md, "Domain Freshness"). */
@Command(name = "domain", mixinStandardHelpOptions = true,
    description = "Mark a domain's desired state fresh (complete and up to date), and list the fresh domains.",
    subcommands = {DomainCommand.Set.class, DomainCommand.ListDomains.class})
final class DomainCommand extends CommandGroup {
  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Mark a domain fresh, for --ttl or (without it) for ever; repeat before the TTL runs out.")
  static final class Set extends ApiCommand {
    @Parameters(paramLabel = "D", description = "The domain.")
    String domain;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Flags.DurationConverter.class,
        description = "How long it stays fresh, e.g. 60s or 5m (whole seconds; default: never expires).")
    Duration ttl;

    @Override
    public Integer call() {
      Map<String, String> headers = Map.of();
      if (ttl != null) {
        if (ttl.isZero() || ttl.toMillis() % 1000 != 0) {
          throw new ParameterException(spec.commandLine(), "--ttl must be a whole number of seconds, at least 1s, not " + ttl.toMillis() + "ms");
        }
        headers = Map.of("Cache-Control", "max-age=" + ttl.toSeconds());
      }
      api().put("/v1/domains/" + ApiClient.segment(domain), null, headers);
      out().println(domain + ": fresh " + (ttl == null ? "for ever" : "for " + ttl.toSeconds() + "s"));
      return 0;
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the fresh domains, one per line.")
  static final class ListDomains extends JsonView {
    @Override
    String path() {
      return "/v1/domains";
    }

    @Override
    void print(JsonNode domains) {
      for (JsonNode d : domains) out().println(d.asText());
    }
  }
}

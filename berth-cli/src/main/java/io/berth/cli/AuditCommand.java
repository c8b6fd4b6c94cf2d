package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.Durations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code berth audit}: the record of every mutating call, for administrators. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Show the audit record (administrators): who made which mutating call, when, from where, and how it ended.")
final class AuditCommand extends TableView {
  private static final Pattern AGO = Pattern.compile("(\\d+)(s|m|h|d)");

  @Option(names = "--user", paramLabel = "U", description = "Only the calls of this user.")
  String user;

  @Option(names = "--since", paramLabel = "WHEN", description = "Only calls since then: a duration back from now (30m, 1h, 7d) or a time (2026-12-01T21:00:00Z).")
  String since;

  @Option(names = "--limit", paramLabel = "N", description = "At most N entries (the manager's default when not given).")
  Integer limit;

  @Override
  String path() {
    List<String> query = new ArrayList<>();
    if (user != null) query.add("user=" + ApiClient.segment(user));
    if (since != null) query.add("since=" + ApiClient.segment(since(since, Instant.now()).toString()));
    if (limit != null) {
      if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
      query.add("limit=" + limit);
    }
    return "/v1/audit" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }

  @Override
  void print(JsonNode entries) {
    new Table("AT", "USER", "VIA", "FROM", "ACTION", "TARGET", "STATUS", "OUTCOME")
        .rows(entries, e -> new Object[] {e.path("at").asText(), e.path("user").asText(), text(e, "via"), text(e, "from"),
            text(e, "action"), text(e, "target"), e.path("status").asInt(), text(e, "outcome")})
        .print(out());
  }

  /** The instant {@code --since} names: {@code now} less a duration, or an ISO-8601 time as it is. */
  Instant since(String text, Instant now) {
    if (AGO.matcher(text.trim()).matches()) return now.minus(Durations.parse(text));
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), "--since must be a duration such as 30m, 1h or 7d, or a time such as 2026-12-01T21:00:00Z, not '"
          + text + "'");
    }
  }
}

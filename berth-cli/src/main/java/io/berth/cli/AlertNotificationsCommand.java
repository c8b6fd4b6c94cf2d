package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code berth alert notifications [APP]}: the last alert notifications and how each went, for administrators. A
 * subcommand of {@code berth alert} (listed in its {@code subcommands}).
 */
@Command(name = "notifications", mixinStandardHelpOptions = true,
    description = "Show the last alert notifications (administrators): which receiver got which alert, how it went, after how many attempts.")
final class AlertNotificationsCommand extends TableView {
  @Parameters(arity = "0..1", paramLabel = "APP", description = "Only this app's notifications.")
  String app;

  @Option(names = "--limit", paramLabel = "N", description = "At most N (default 100, at most 1000).")
  Integer limit;

  @Override
  String path() {
    List<String> query = new ArrayList<>();
    if (app != null) query.add("app=" + ApiClient.segment(app));
    if (limit != null) {
      if (limit < 1 || limit > 1000) throw new ParameterException(spec.commandLine(), "--limit must be from 1 to 1000, not " + limit);
      query.add("limit=" + limit);
    }
    return "/v1/alerts/notifications" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }

  @Override
  void print(JsonNode notifications) {
    Instant now = Instant.now();
    new Table("AT", "APP", "ALERT", "STATUS", "RECEIVER", "OUTCOME", "ATTEMPTS", "ERROR")
        .rows(notifications, n -> new Object[] {AppViews.ago(n.path("at"), now), text(n, "app"), alert(n.path("notice_id").asText()),
            text(n, "status") + (n.path("repeat").asBoolean() ? " (repeat)" : ""), text(n, "receiver"), text(n, "outcome"),
            n.path("attempts").asInt(), text(n, "error")})
        .print(out());
  }

  /** The rule of a notice id {@code APP/RULE/STARTS_AT/STATUS}. */
  static String alert(String noticeId) {
    String[] parts = noticeId.split("/");
    return parts.length >= 4 ? parts[parts.length - 3] : noticeId;
  }
}

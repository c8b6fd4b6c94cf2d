package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.lrp.Rootfs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How the CLI shows the instances (ActualLRPs) of one process: a table, and a line of progress. */
final class LrpInstances {
  private LrpInstances() {}

  static String desiredPath(String domain) {
    return "/v1/desired_lrps" + ApiClient.domainQuery(domain);
  }

  static String actualsPath(String domain) {
    return "/v1/actual_lrps" + ApiClient.domainQuery(domain);
  }

  /**
   * The desired LRPs with how many of each one's instances run, as {@code berth lrp list} prints
   * them on either path (here and not in the command's nested class, whose lambdas would load the
   * picocli command group around it).
   */
  static Table desiredTable(JsonNode desired, JsonNode actuals) {
    Map<String, Integer> running = new HashMap<>();
    for (JsonNode a : actuals) {
      if (a.path("state").asText().equals("RUNNING")) running.merge(a.path("process_guid").asText(), 1, Integer::sum);
    }
    return new Table("PROCESS_GUID", "DOMAIN", "INSTANCES", "RUNNING", "IMAGE")
        .rows(desired, d -> new Object[] {d.path("process_guid").asText(), text(d, "domain"), d.path("instances").asInt(),
            running.getOrDefault(d.path("process_guid").asText(), 0), image(d.path("rootfs").asText())});
  }

  static List<JsonNode> sorted(JsonNode actuals) {
    List<JsonNode> list = new ArrayList<>();
    actuals.forEach(list::add);
    list.sort(Comparator.comparingInt(a -> a.path("index").asInt()));
    return list;
  }

  static Table table(JsonNode actuals, long nowNanos) {
    Table t = new Table("INDEX", "STATE", "CELL", "ADDRESS", "PORTS", "CRASHES", "SINCE", "PLACEMENT_ERROR");
    for (JsonNode a : sorted(actuals)) {
      List<String> ports = new ArrayList<>();
      a.path("ports").forEach(p -> ports.add(p.path("host_port").asInt() + "->" + p.path("container_port").asInt()));
      t.row(a.path("index").asInt(), text(a, "state"), text(a, "cell_id"), text(a, "address"),
          ports.isEmpty() ? "-" : String.join(",", ports), a.path("crash_count").asInt(),
          ago(a.path("since").asLong(), nowNanos), text(a, "placement_error"));
    }
    return t;
  }

  /** True when instances 0..desired-1 all run and no other is left. */
  static boolean allRunning(JsonNode actuals, int desired) {
    int running = 0;
    for (JsonNode a : actuals) {
      if (a.path("index").asInt() >= desired) return false;
      if (a.path("state").asText().equals("RUNNING")) running++;
    }
    return running == desired;
  }

  /** {@code web: 2/3 running (1 starting)}, with the first placement error when an instance has no node. */
  static String progress(String guid, JsonNode actuals, int desired) {
    int running = 0, starting = 0, unplaced = 0, crashed = 0, extra = 0;
    String placementError = "";
    for (JsonNode a : actuals) {
      if (a.path("index").asInt() >= desired) {
        extra++;
        continue;
      }
      switch (a.path("state").asText()) {
        case "RUNNING" -> running++;
        case "CLAIMED" -> starting++;
        case "CRASHED" -> crashed++;
        default -> {
          unplaced++;
          if (placementError.isEmpty()) placementError = a.path("placement_error").asText("");
        }
      }
    }
    List<String> rest = new ArrayList<>();
    if (starting > 0) rest.add(starting + " starting");
    if (unplaced > 0) rest.add(unplaced + " waiting for a node" + (placementError.isEmpty() ? "" : ": " + placementError));
    if (crashed > 0) rest.add(crashed + " crashed");
    if (extra > 0) rest.add(extra + " stopping");
    return guid + ": " + running + "/" + desired + " running" + (rest.isEmpty() ? "" : " (" + String.join(", ", rest) + ")");
  }

  /** Polls until every instance runs, printing the progress line each time it changes; false when interrupted. */
  static boolean awaitRunning(ApiClient api, String guid, int desired, PrintWriter out) {
    String[] last = {null};
    return Watch.until(() -> {
      JsonNode actuals = api.get("/v1/actual_lrps/" + ApiClient.segment(guid));
      String line = progress(guid, actuals, desired);
      if (!Objects.equals(line, last[0])) {
        out.println(line);
        out.flush();
        last[0] = line;
      }
      return allRunning(actuals, desired);
    });
  }

  /** The Docker image a rootfs URL names, or the URL itself when it names none. */
  static String image(String rootfs) {
    try {
      return Rootfs.image(rootfs);
    } catch (IllegalArgumentException e) {
      return rootfs;
    }
  }

  /** How long ago a time in nanoseconds since the epoch (Diego's {@code since}) was. */
  static String ago(long sinceNanos, long nowNanos) {
    if (sinceNanos <= 0) return "-";
    return ago(Duration.ofNanos(nowNanos - sinceNanos));
  }

  /** {@code 42s ago}, {@code 3m ago}, {@code 5h ago}, {@code 2d ago}; a time ahead (clock skew) is {@code 0s ago}. */
  static String ago(Duration elapsed) {
    Duration d = elapsed.isNegative() ? Duration.ZERO : elapsed;
    if (d.toSeconds() < 60) return d.toSeconds() + "s ago";
    if (d.toMinutes() < 60) return d.toMinutes() + "m ago";
    if (d.toHours() < 48) return d.toHours() + "h ago";
    return d.toDays() + "d ago";
  }

  private static String text(JsonNode n, String field) {
    return ApiCommand.text(n, field);
  }
}

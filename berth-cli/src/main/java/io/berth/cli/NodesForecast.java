package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code berth nodes --forecast}: the capacity forecast as a table, the cluster first, then its window. */
final class NodesForecast {
  private NodesForecast() {}

  static void print(JsonNode f, PrintWriter out) {
    Table t = new Table("NODE", "RESOURCE", "CAPACITY", "RESERVED", "TREND/H", "USED", "TREND/H", "FORECAST");
    List<JsonNode> parts = new ArrayList<>();
    parts.add(f.path("cluster"));
    f.path("nodes").forEach(parts::add);
    for (JsonNode p : parts) {
      for (String r : List.of("memory", "cpu")) {
        JsonNode res = p.path(r);
        boolean mem = r.equals("memory");
        t.row(p.path("name").asText(), r, amount(res.path("capacity"), mem), amount(res.path("reserved").path("now"), mem),
            trend(res.path("reserved"), mem), amount(res.path("used").path("now"), mem), trend(res.path("used"), mem),
            res.path("reserved").path("says").asText() + "; " + res.path("used").path("says").asText());
      }
    }
    t.print(out);
    out.println("trends fitted by least squares over the last " + window(f.path("window_seconds").asLong())
        + " (--metrics-retention); reservations are sampled every 30 s by the manager answering, since it started");
  }

  private static String amount(JsonNode n, boolean memory) {
    if (n.isNull() || n.isMissingNode()) return "-";
    return memory ? NodesCommand.mib(n.asLong()) : String.format(Locale.ROOT, "%.2f", n.asDouble());
  }

  private static String trend(JsonNode line, boolean memory) {
    if (line.path("samples").asInt() < 10) return "-";
    double v = line.path("per_hour").asDouble();
    String sign = v < 0 ? "-" : "+";
    return sign + (memory ? NodesCommand.mib((long) Math.abs(v)) : String.format(Locale.ROOT, "%.2f", Math.abs(v)));
  }

  private static String window(long seconds) {
    return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds / 60 + "m";
  }
}

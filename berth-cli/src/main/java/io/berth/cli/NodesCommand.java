package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth nodes}: the cluster's nodes as a table. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List the cluster's nodes with their state and resources.")
final class NodesCommand extends TableView {
  @Option(names = "--forecast", description = "Show each node's and the cluster's memory and CPU, reserved and used, their trend "
      + "over the metrics retention, and when they reach capacity at it.")
  boolean forecast;

  @Override
  String path() {
    return forecast ? "/v1/nodes/forecast" : "/v1/nodes";
  }

  @Override
  void print(JsonNode nodes) {
    if (forecast) {
      NodesForecast.print(nodes, out());
      return;
    }
    table(nodes).print(out());
  }

  /** The nodes' table, as this command and the quick path ({@link QuickViews}) print it. */
  static Table table(JsonNode nodes) {
    // VERSION last, so scripts that cut the columns before it read what they always did.
    return new Table("NAME", "STATE", "ADDRESS", "ENGINE", "CPUS", "MEMORY", "LABELS", "SINCE", "VERSION")
        .rows(nodes, n -> new Object[] {n.path("name").asText(), n.path("state").asText(), n.path("address").asText(),
            "docker " + n.path("engine").path("engine_version").asText(), n.path("engine").path("cpus").asInt(),
            mib(n.path("engine").path("memory_bytes").asLong()), labels(n.path("labels")), ago(n.path("changed_at").asText()),
            version(n.path("version"))});
  }

  /** {@code disk=ssd,zone=a}: sorted, so the column reads the same every time; "-" when there are none. */
  static String labels(JsonNode labels) {
    List<String> pairs = new ArrayList<>();
    labels.fields().forEachRemaining(f -> pairs.add(f.getKey() + "=" + f.getValue().asText()));
    pairs.sort(null);
    return pairs.isEmpty() ? "-" : String.join(",", pairs);
  }

  /** The agent's Berth version; "-" for an engine found by discovery or an agent older than versions. */
  static String version(JsonNode version) {
    return version.isTextual() && !version.asText().isBlank() ? version.asText() : "-";
  }

  static String mib(long bytes) {
    return bytes >= 1L << 30 ? FastFormats.oneDecimal(bytes / (double) (1L << 30)) + " GiB" : (bytes >> 20) + " MiB";
  }

  static String ago(String iso) {
    try {
      Duration d = Duration.between(FastFormats.instant(iso), Instant.now());
      if (d.toSeconds() < 60) return d.toSeconds() + "s ago";
      if (d.toMinutes() < 60) return d.toMinutes() + "m ago";
      if (d.toHours() < 48) return d.toHours() + "h ago";
      return d.toDays() + "d ago";
    } catch (RuntimeException e) {
      return "-";
    }
  }
}

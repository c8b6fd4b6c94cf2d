package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth nodes}: the cluster's nodes as a table. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List the cluster's nodes with their state and resources.")
final class NodesCommand implements Callable<Integer> {
  @Mixin
  ClientOptions client;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    JsonNode nodes = client.client().get("/v1/nodes");
    if (json) {
      System.out.println(io.berth.cluster.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(nodes));
      return 0;
    }
    Table t = new Table("NAME", "STATE", "ADDRESS", "ENGINE", "CPUS", "MEMORY", "LABELS", "SINCE");
    for (JsonNode n : nodes) {
      JsonNode e = n.path("engine");
      List<String> labels = new ArrayList<>();
      n.path("labels").fields().forEachRemaining(f -> labels.add(f.getKey() + "=" + f.getValue().asText()));
      labels.sort(null);
      t.row(n.path("name").asText(), n.path("state").asText(), n.path("address").asText(),
          "docker " + e.path("engine_version").asText(), e.path("cpus").asInt(), mib(e.path("memory_bytes").asLong()),
          labels.isEmpty() ? "-" : String.join(",", labels), ago(n.path("changed_at").asText()));
    }
    t.print(System.out);
    return 0;
  }

  static String mib(long bytes) {
    return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MiB";
  }

  static String ago(String iso) {
    try {
      Duration d = Duration.between(Instant.parse(iso), Instant.now());
      if (d.toSeconds() < 60) return d.toSeconds() + "s ago";
      if (d.toMinutes() < 60) return d.toMinutes() + "m ago";
      if (d.toHours() < 48) return d.toHours() + "h ago";
      return d.toDays() + "d ago";
    } catch (RuntimeException e) {
      return "-";
    }
  }
}

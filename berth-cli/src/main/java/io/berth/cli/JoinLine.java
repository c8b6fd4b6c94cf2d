package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The line {@code berth join-token --command} prints for a new node: every live manager's cluster
 * address (the leader first), the join token, which pins the cluster CA by its SHA-256, and
 * {@code --advertise auto}.
 */
final class JoinLine {
  /** The cluster port a manager listens on unless told otherwise ({@code berth manage --cluster-addr}). */
  static final int CLUSTER_PORT = 2377;

  private JoinLine() {}

  /** {@code managers} is {@code GET /v1/managers}'s answer; {@code api} the URL it came from, for a manager that lists none. */
  static String of(JsonNode managers, String token, String api) {
    return "berth join --manager " + String.join(",", addresses(managers, api)) + " --token " + token + " --advertise auto";
  }

  static List<String> addresses(JsonNode managers, String api) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : managers) {
      String cluster = m.path("cluster").asText("");
      if (cluster.isBlank() || out.contains(cluster)) continue;
      if (m.path("leader").asBoolean()) out.add(0, cluster);
      else out.add(cluster);
    }
    if (out.isEmpty()) out.add(URI.create(api.split(",")[0].strip()).getHost() + ":" + CLUSTER_PORT);
    return out;
  }
}

package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/containers}: the containers {@code docker ps -a} through the endpoint would show
 * the caller (the same cache and the same {@link Ownership} rule), in the Berth API's shape, with
 * the app, version and owner read from their labels.
 */
public final class ContainerRows {
  private static final Pattern VERSION = Pattern.compile("-v(\\d+)$");

  private ContainerRows() {}

  /** One container as the console lists it. */
  public record Row(String id, String name, String image, String state, String status, String node, String app, Integer version,
                    String owner, Instant created, List<Port> ports) {}

  /** A published port, on the node's address as {@code docker ps} through the endpoint shows it. */
  public record Port(String ip, int privatePort, Integer publicPort, String type) {}

  /** The rows {@code p} may see, newest first; {@code node} null for every node. */
  static List<Row> visible(Map<Node, List<ContainerCache.Entry>> entries, Ownership owners, Principal p, String node, Instant now) {
    List<Row> out = new ArrayList<>();
    entries.forEach((n, list) -> {
      if (node != null && !n.name().value().equals(node)) return;
      for (ContainerCache.Entry e : list) {
        if (owners.sees(p, e.summary())) out.add(row(n, e, now));
      }
    });
    out.sort(Comparator.comparing(Row::created).reversed().thenComparing(Row::name));
    return out;
  }

  private static Row row(Node n, ContainerCache.Entry e, Instant now) {
    JsonNode s = e.listing(now);
    Map<String, String> labels = Ownership.labels(s);
    String name = s.path("Names").path(0).asText("").replaceFirst("^/", "");
    Integer version = null;
    if (Ownership.app(labels).isPresent()) {
      Matcher m = VERSION.matcher(labels.getOrDefault(Ownership.PROCESS_GUID, ""));
      if (m.find()) version = Integer.parseInt(m.group(1));
    }
    List<Port> ports = new ArrayList<>();
    for (JsonNode pt : s.path("Ports")) {
      String ip = pt.path("IP").asText("");
      if (ip.equals("::")) continue; // the engine lists each port once per address family
      ports.add(new Port(ip.isEmpty() || ip.equals("0.0.0.0") ? n.host() : ip, pt.path("PrivatePort").asInt(),
          pt.has("PublicPort") ? pt.path("PublicPort").asInt() : null, pt.path("Type").asText("tcp")));
    }
    return new Row(s.path("Id").asText(), name, s.path("Image").asText(), s.path("State").asText(), s.path("Status").asText(),
        n.name().value(), Ownership.app(labels).orElse(null), version, labels.get(Ownership.OWNER),
        Instant.ofEpochSecond(0, e.createdNanos()), ports);
  }
}

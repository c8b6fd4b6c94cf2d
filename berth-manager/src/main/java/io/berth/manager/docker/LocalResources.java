package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.NodeLink;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Volumes. A volume is local to an engine, and a container may land on any node, so a volume a user
 * creates is created on every ready node under the same name (its data stays on its node), and
 * listings show it once. Networks live on one node instead ({@link NetworkRoutes}).
 */
final class LocalResources {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;

  LocalResources(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  ObjectNode volumes(String target) {
    ArrayNode vols = JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    cluster.fanOut(target).forEach((node, answer) -> {
      for (JsonNode v : answer.path("Volumes")) if (seen.add(v.path("Name").asText())) vols.add(v);
    });
    ObjectNode out = JSON.createObjectNode();
    out.set("Volumes", vols);
    out.putArray("Warnings");
    return out;
  }

  /** Creates on every ready node; answers with the first node's answer, or the first refusal. */
  Reply create(Exchange ex, String[] parts) {
    NodeLink.Response first = null;
    for (var e : cluster.callAll("POST", ex.versioned(), ex.body()).entrySet()) {
      NodeLink.Response r = e.getValue();
      if (r.status() / 100 != 2) throw Images.refusal(e.getKey(), r);
      if (first == null) first = r;
    }
    return Reply.Bytes.of(first);
  }

  /** Removes from every node that has it; 404 ({@code what}) when none has. */
  Reply remove(Exchange ex, String what) {
    boolean any = false;
    for (var e : cluster.callAll("DELETE", ex.versioned(), null).entrySet()) {
      int s = e.getValue().status();
      if (s / 100 == 2) any = true;
      else if (s != 404) throw Images.refusal(e.getKey(), e.getValue());
    }
    if (!any) throw new BerthException.NotFound("NotFound", what);
    return new Reply.Bytes(204, "text/plain", new byte[0], Map.of());
  }

  /** The first ready node's answer that is not a 404 ({@code what}). */
  Reply inspect(Exchange ex, String what) {
    for (Node n : cluster.ready()) {
      NodeLink.Response r = link.call(n, "GET", ex.versioned(), null);
      if (r.status() != 404) return Reply.Bytes.of(r);
    }
    throw new BerthException.NotFound("NotFound", what);
  }
}

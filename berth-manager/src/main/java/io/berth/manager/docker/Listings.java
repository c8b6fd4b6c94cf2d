package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The aggregated container and image routes: {@code ps}, {@code images}, {@code system df} and
 * {@code container prune} over every node, each showing a caller only the containers they may see.
 */
final class Listings {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;
  private final Ownership owners;
  private final PsRows rows = new PsRows();

  Listings(ClusterView cluster, NodeLink link, Ownership owners) {
    this.cluster = cluster;
    this.link = link;
    this.owners = owners;
  }

  /**
   * Every node's containers, named {@code /NODE/NAME} and with ports on the node's address, as
   * Swarm showed them. The filters only the cluster can apply ({@code node}, {@code before}, {@code since}:
   * {@link ClusterPs}) are applied here; the rest are matched by the container cache when it can
   * ({@link PsQuery}), otherwise every chosen node answers them itself and the answers are merged.
   */
  Reply containers(Exchange ex) {
    ClusterPs ps = ClusterPs.parse(ex.query());
    Optional<PsQuery> cached = PsQuery.parse(ps.query());
    if (cached.isPresent()) {
      PsListing rows = cached(ex, ps, cached.get());
      return new Reply.Sized(200, "application/json", rows.length(), rows);
    }
    ClusterPs.Window window = ps.ordered() ? ps.window(cluster.entries()) : new ClusterPs.Window(null, null);
    ArrayNode all = JSON.createArrayNode();
    List<Node> nodes = cluster.ready().stream().filter(ps::on).toList();
    String target = "/v" + DockerEndpoint.API_VERSION + "/containers/json" + (ps.query().isEmpty() ? "" : "?" + ps.query());
    cluster.fanOut(nodes, target).forEach((node, list) -> {
      for (JsonNode c : list) {
        if (!window.admits(c.path("Id").asText(), c.path("Created").asLong() * 1_000_000_000L)) continue;
        if (owners.sees(ex.caller(), c)) all.add(asSwarmShowsIt(node, (ObjectNode) c));
      }
    });
    return new Reply.Json(200, newestFirst(all, ex.queryParam("limit")));
  }

  /** The cache's rows the query matches, newest first, as JSON ({@link PsRows}). */
  private PsListing cached(Exchange ex, ClusterPs ps, PsQuery q) {
    Map<Node, List<ContainerCache.Entry>> entries = cluster.entries();
    ClusterPs.Window window = ps.window(entries);
    List<PsRows.Hit> hits = new ArrayList<>();
    entries.forEach((node, list) -> {
      if (!ps.on(node)) return;
      for (int i = 0; i < list.size(); i++) {
        ContainerCache.Entry e = list.get(i);
        if (q.matches(e) && window.admits(e.id(), e.createdNanos()) && owners.sees(ex.caller(), e.summary())) hits.add(new PsRows.Hit(node, e, i));
      }
    });
    hits.sort(Comparator.comparingLong((PsRows.Hit h) -> h.entry().createdNanos()).reversed());
    return rows.listing(q.limit() > 0 && hits.size() > q.limit() ? hits.subList(0, q.limit()) : hits, Instant.now(), entries);
  }

  /** A listing row as Swarm showed it: names {@code /NODE/NAME}, ports on 0.0.0.0 at the node's address. Changes {@code o}. */
  static ObjectNode asSwarmShowsIt(Node node, ObjectNode o) {
    ArrayNode names = JSON.createArrayNode();
    for (JsonNode n : o.path("Names")) names.add("/" + node.name() + n.asText());
    o.set("Names", names);
    for (JsonNode p : o.path("Ports")) {
      if (p.has("IP") && (p.path("IP").asText().equals("0.0.0.0") || p.path("IP").asText().isEmpty())) {
        ((ObjectNode) p).put("IP", node.host());
      }
    }
    return o;
  }

  /** {@code ps -n N} / {@code -l} ask for the newest N of the whole cluster, not of each node. */
  private static ArrayNode newestFirst(ArrayNode all, String limit) {
    List<JsonNode> sorted = new ArrayList<>();
    all.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong((JsonNode c) -> c.path("Created").asLong()).reversed());
    int n = sorted.size();
    try {
      if (limit != null && Integer.parseInt(limit) > 0) n = Math.min(n, Integer.parseInt(limit));
    } catch (NumberFormatException e) {
      throw new BerthException.Invalid("invalid limit: " + limit);
    }
    ArrayNode out = JSON.createArrayNode();
    sorted.subList(0, n).forEach(out::add);
    return out;
  }

  /** Every node's images, each image once. */
  ArrayNode images() {
    ArrayNode all = JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    cluster.fanOut("/images/json").forEach((node, list) -> {
      for (JsonNode i : list) if (seen.add(i.path("Id").asText())) all.add(i);
    });
    return all;
  }

  /** {@code docker system df} over every node: sizes summed, lists joined. */
  ObjectNode diskUsage(Exchange ex) {
    ObjectNode out = JSON.createObjectNode();
    long layers = 0;
    ArrayNode images = out.putArray("Images");
    ArrayNode containers = out.putArray("Containers");
    ArrayNode volumes = out.putArray("Volumes");
    ArrayNode cache = out.putArray("BuildCache");
    for (JsonNode df : cluster.fanOut(ex.versioned()).values()) {
      layers += df.path("LayersSize").asLong(0);
      df.path("Images").forEach(images::add);
      for (JsonNode c : df.path("Containers")) if (owners.sees(ex.caller(), c)) containers.add(c);
      df.path("Volumes").forEach(volumes::add);
      df.path("BuildCache").forEach(cache::add);
    }
    out.put("LayersSize", layers);
    return out;
  }

  /** {@code docker container prune} on every node ({@code target}: the caller's own containers only), the deleted ids and reclaimed space summed. */
  ObjectNode prune(String target) throws IOException {
    ArrayNode deleted = JSON.createArrayNode();
    long space = 0;
    for (Node n : cluster.ready()) {
      NodeLink.Response r = link.call(n, "POST", target, new byte[0]);
      if (r.status() != 200) throw Images.refusal(n, r);
      JsonNode j = JSON.readTree(r.body());
      for (JsonNode id : j.path("ContainersDeleted")) deleted.add(id);
      space += j.path("SpaceReclaimed").asLong(0);
      cluster.cache().resync(n);
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("ContainersDeleted", deleted);
    out.put("SpaceReclaimed", space);
    return out;
  }
}

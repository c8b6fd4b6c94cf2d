package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Action;
import io.berth.core.node.Node;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.SwarmSyntax;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code /networks} routes under classic Swarm's model without an overlay store: a network lives on one node,
 * chosen by the strategy (or named: {@code NODE/NAME}), is shown as {@code NODE/NAME}, and is inspected, removed,
 * connected and disconnected on its node only. Containers that join it are placed there ({@link NetworkPlacement}).
 */
final class NetworkRoutes {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  /**
   * Drivers whose networks are local to one engine (the engine itself refuses a second {@code host} or {@code null});
   * any other (overlay, a plugin's) would need a store Berth lacks.
   */
  private static final Set<String> LOCAL_DRIVERS = Set.of("", "bridge", "macvlan", "ipvlan", "host", "null");
  /** The label docker-compose puts on a project's networks and containers. */
  static final String COMPOSE_PROJECT = "com.docker.compose.project";
  private final ClusterView cluster;
  private final NodeLink link;
  private final Creator creator;
  private final ContainerRoutes containers;
  /** One create at a time through this manager, from the duplicate check to the cache's re-read, so two never both pass it. */
  private final ReentrantLock creating = new ReentrantLock();

  NetworkRoutes(ClusterView cluster, NodeLink link, Creator creator, ContainerRoutes containers) {
    this.cluster = cluster;
    this.link = link;
    this.creator = creator;
    this.containers = containers;
  }

  /** Every ready node's networks, from the container cache where it is in step; a lookup that misses asks the nodes. */
  Networks networks() {
    List<Node> ready = cluster.ready();
    return Networks.of(cluster.networks(ready)).orAsk(() -> Networks.of(cluster.fanOut(ready, "/networks")));
  }

  /**
   * {@code GET /networks}: every node's networks as {@code NODE/NAME}, filtered here (the cache holds them whole);
   * a filter this side does not apply ({@code dangling}) is passed to the nodes, which apply it or refuse it.
   */
  Reply list(Exchange ex) throws IOException {
    Map<String, List<String>> filters = Networks.parseFilters(ex.queryParam("filters"));
    Map<String, List<String>> theirs = new LinkedHashMap<>(filters);
    theirs.keySet().removeAll(Networks.FILTERS);
    List<Node> ready = cluster.ready();
    Map<Node, JsonNode> lists = theirs.isEmpty() ? cluster.networks(ready)
        : cluster.fanOut(ready, "/networks?filters=" + URLEncoder.encode(JSON.writeValueAsString(theirs), StandardCharsets.UTF_8));
    return new Reply.Json(200, Networks.of(lists).listing(filters));
  }

  /** {@code GET /networks/REF}: its node's answer (with every container attached there), named {@code NODE/NAME}. */
  Reply inspect(Exchange ex, String ref) throws IOException {
    Networks.Network n = networks().find(ref);
    NodeLink.Response r = link.call(n.node(), "GET", onNetwork(ex, n, ""), null);
    if (r.status() != 200) return Reply.Bytes.of(r);
    ObjectNode body = (ObjectNode) JSON.readTree(r.body());
    body.put("Name", n.shown());
    return new Reply.Json(200, body);
  }

  /** {@code DELETE /networks/REF}: on its node only; the scheduler stops placing its containers there at once. */
  Reply remove(Exchange ex, String ref) {
    Networks.Network n = networks().find(ref);
    NodeLink.Response r = link.call(n.node(), "DELETE", onNetwork(ex, n, ""), null);
    cluster.cache().refreshNetworks(n.node());
    return Reply.Bytes.of(r);
  }

  /** {@code POST /networks/REF/(connect|disconnect)}: the container must be on the network's node; forwarded there. */
  Reply connect(Exchange ex, String ref, String action) throws IOException {
    ObjectNode request = object(ex.body(), "the " + action + " request");
    String container = request.path("Container").asText("");
    Networks.Network n = networks().find(ref);
    ClusterView.Located at = containers.touch(ex, container, new Ownership.Need(Action.EXEC, action));
    if (!at.node().name().equals(n.node().name())) {
      throw new BerthException.Invalid("cannot " + action + " container " + container + " (on node " + at.node().name() + ") "
          + (action.equals("connect") ? "to" : "from") + " network " + n.shown() + " (on node " + n.node().name()
          + "): a local network's containers share its node");
    }
    request.put("Container", at.id());
    NodeLink.Response r = link.call(n.node(), "POST", onNetwork(ex, n, "/" + action), JSON.writeValueAsBytes(request));
    cluster.cache().refresh(at.node(), at.id());
    return Reply.Bytes.of(r);
  }

  /**
   * {@code POST /networks/create}: a local driver only, on the node {@code NODE/NAME} names or the strategy picks
   * (constraints in the labels narrow it); a name some node holds already is a 409 when the request checks duplicates.
   */
  Reply create(Exchange ex) throws IOException {
    creating.lock();
    try {
      return createOne(ex);
    } finally {
      creating.unlock();
    }
  }

  private Reply createOne(Exchange ex) throws IOException {
    ObjectNode body = object(ex.body(), "the network create request");
    String asked = body.path("Name").asText("");
    if (asked.isBlank()) throw new BerthException.Invalid("network name is required: the create request needs \"Name\"");
    String driver = body.path("Driver").asText("");
    if (!LOCAL_DRIVERS.contains(driver)) throw notLocal(driver);
    int slash = asked.indexOf('/');
    String name = slash < 0 ? asked : asked.substring(slash + 1);
    if (name.isEmpty() || name.contains("/")) throw new BerthException.Invalid("invalid network name " + asked + ": expected NAME or NODE/NAME");
    Networks known = networks();
    if (body.path("CheckDuplicate").asBoolean(false) && !known.named(name).isEmpty()) {
      throw new BerthException.Conflict("Conflict", "network with name " + name + " already exists (" + known.named(name).get(0).shown() + ")");
    }
    SwarmSyntax.Parsed swarm = swarmLabels(body.path("Labels"));
    Node node = slash >= 0 ? named(asked.substring(0, slash), asked) : projectNode(swarm, known).orElseGet(() -> place(swarm));
    body.put("Name", name);
    ObjectNode labels = body.putObject("Labels");
    swarm.labels().forEach(labels::put);
    NodeLink.Response r = link.call(node, "POST", ex.versioned(), JSON.writeValueAsBytes(body));
    if (r.status() / 100 == 2) cluster.cache().refreshNetworks(node); // the next create that joins it sees it here
    return Reply.Bytes.of(r);
  }

  /** {@code POST /networks/prune}: on every ready node; the networks removed, as {@code NODE/NAME}. */
  Reply prune(Exchange ex) throws IOException {
    ArrayNode deleted = JSON.createArrayNode();
    for (var e : cluster.callAll("POST", ex.versioned(), ex.body()).entrySet()) {
      if (e.getValue().status() != 200) throw Images.refusal(e.getKey(), e.getValue());
      for (JsonNode n : JSON.readTree(e.getValue().body()).path("NetworksDeleted")) deleted.add(e.getKey().name().value() + "/" + n.asText());
      cluster.cache().refreshNetworks(e.getKey());
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("NetworksDeleted", deleted);
    return new Reply.Json(200, out);
  }

  /** The body as a JSON object, or a 400 saying what is wrong with it. */
  private static ObjectNode object(byte[] body, String what) {
    try {
      if (JSON.readTree(body) instanceof ObjectNode o) return o;
    } catch (IOException e) {
      throw new BerthException.Invalid("invalid JSON in " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    throw new BerthException.Invalid(what + " needs a JSON object as its body");
  }

  private static BerthException.Invalid notLocal(String driver) {
    return new BerthException.Invalid("network driver \"" + driver + "\" is not supported: Berth keeps every network local to one node"
        + " and has no store for multi-host (overlay) networks yet. Use a local network instead (the default driver, or bridge):"
        + " the containers that join it, such as one compose project's services, then share its node. Or publish ports (-p) to"
        + " reach services on other nodes.");
  }

  /** Labels with Swarm's constraint and affinity syntax read out; a malformed one is a 400 naming it. */
  private static SwarmSyntax.Parsed swarmLabels(JsonNode labels) {
    Map<String, String> map = new LinkedHashMap<>();
    labels.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
    try {
      return SwarmSyntax.parse(List.of(), map);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid(e.getMessage());
    }
  }

  /**
   * Where the project's other networks are, for a network compose labels with its project and no constraint names a
   * node: a service on two of the project's networks (compose creates it on one and connects it to the other) can
   * then join both.
   */
  private Optional<Node> projectNode(SwarmSyntax.Parsed swarm, Networks known) {
    String project = swarm.labels().get(COMPOSE_PROJECT);
    if (project == null || !swarm.constraints().isEmpty()) return Optional.empty();
    return known.labelled(COMPOSE_PROJECT, project).stream().map(Networks.Network::node).findFirst();
  }

  /** The node the strategy picks among those the constraints accept, as for a container with no image to pull. */
  private Node place(SwarmSyntax.Parsed swarm) {
    return creator.place(views -> new PlacementRequest(null, "", true, 0, 0, swarm.constraints(), swarm.affinities(), List.of(), List.of()));
  }

  private Node named(String node, String asked) {
    List<Node> ready = cluster.ready();
    return ready.stream().filter(n -> n.name().value().equals(node)).findFirst().orElseThrow(() -> new BerthException.NotFound("NotFound",
        "cannot create network " + asked + ": no ready node " + node + " (ready: "
            + String.join(", ", ready.stream().map(n -> n.name().value()).toList()) + ")"));
  }

  /** The request's target on the network's node: the engine's id instead of the client's reference, the query kept. */
  private static String onNetwork(Exchange ex, Networks.Network n, String action) {
    String query = ex.query();
    return "/v" + DockerEndpoint.API_VERSION + "/networks/" + URLEncoder.encode(n.id(), StandardCharsets.UTF_8) + action
        + (query.isEmpty() ? "" : "?" + query);
  }
}

package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.NodeView;
import io.berth.engine.DockerJson;
import io.berth.manager.node.NodeRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cluster's nodes, containers and images as the Docker endpoint and the scheduler need them. Containers and
 * images come from the {@link ContainerCache} for every node whose cache is in step, and are asked
 * of the node itself (in parallel with the others) for the rest.
 */
public final class ClusterView implements AutoCloseable {
  public static final String MEMORY_LABEL = "io.berth.reserved.memory";
  public static final String CPUS_LABEL = "io.berth.reserved.cpus";
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final NodeRegistry nodes;
  private final NodeLink link;

  private final ContainerCache cache;
  private final NodeViews views = new NodeViews();
  private final ImagePorts imagePorts;
  private final NodeCalls calls;

  ClusterView(NodeRegistry nodes, NodeLink link) {
    this.nodes = nodes;
    this.link = link;
    this.cache = new ContainerCache(link, this::ready);
    this.imagePorts = new ImagePorts(link);
    this.calls = new NodeCalls(link);
  }

  public ContainerCache cache() {
    return cache;
  }

  @Override
  public void close() {
    cache.close();
  }

  /**
   * Every ready node's containers in all states, from the cache where it is in step and from the
   * node otherwise (an entry read from the node has no {@link ContainerStatus}). Nodes that
   * cannot be reached are left out, as in {@link #fanOut}.
   */
  public Map<Node, List<ContainerCache.Entry>> entries() {
    Map<Node, List<ContainerCache.Entry>> out = new LinkedHashMap<>();
    for (Held h : held()) out.put(h.node(), h.entries());
    return out;
  }

  /** One ready node's containers: from the cache, with its version, or read from the node (version -1). */
  public record Held(Node node, List<ContainerCache.Entry> entries, long version) {}

  /** {@link #entries()} with each node's cache version, for readers that keep what they build from it. */
  public List<Held> held() {
    Map<Node, Held> out = new LinkedHashMap<>();
    List<Node> ask = new ArrayList<>();
    for (Node n : ready()) {
      Optional<ContainerCache.Held> cached = cache.held(n);
      out.put(n, cached.map(c -> new Held(n, c.entries(), c.version())).orElse(null));
      if (cached.isEmpty()) ask.add(n);
    }
    Map<Node, JsonNode> asked = fanOut(ask, "/containers/json?all=1");
    for (Node n : ask) {
      JsonNode list = asked.get(n);
      if (list == null) {
        out.remove(n);
        continue;
      }
      List<ContainerCache.Entry> read = new ArrayList<>();
      for (JsonNode c : list) read.add(new ContainerCache.Entry((ObjectNode) c, null));
      out.put(n, new Held(n, read, -1));
    }
    return List.copyOf(out.values());
  }

  /**
   * The nodes' images as {@code /images/json} lists them: from the cache where in step, the rest
   * asked of their nodes all at once. A node that cannot be reached is left out.
   */
  public Map<Node, JsonNode> images(List<Node> nodes) {
    return cachedOrAsked(nodes, cache::images, "/images/json");
  }

  /**
   * The nodes' networks as {@code /networks} lists them (engine names, not {@code NODE/NAME}): from the cache where
   * in step, the rest asked of their nodes all at once. A node that cannot be reached is left out.
   */
  public Map<Node, JsonNode> networks(List<Node> nodes) {
    return cachedOrAsked(nodes, cache::networks, "/networks");
  }

  /** Each node's listing from the cache where {@code cached} has it, the rest asked of their nodes at once ({@code target}). */
  private Map<Node, JsonNode> cachedOrAsked(List<Node> nodes, Function<Node, Optional<JsonNode>> cached, String target) {
    Map<Node, JsonNode> out = new LinkedHashMap<>();
    List<Node> ask = new ArrayList<>();
    for (Node n : nodes) {
      Optional<JsonNode> kept = cached.apply(n);
      if (kept.isPresent()) out.put(n, kept.get());
      else ask.add(n);
    }
    if (!ask.isEmpty()) out.putAll(fanOut(ask, target));
    return out;
  }

  /** The ports {@code image} exposes, as {@code 80/tcp}, read from a ready node that holds it; empty when none does. */
  public List<String> exposedPorts(String image) {
    return imagePorts.exposed(image, images(ready()));
  }

  public List<Node> nodesIncludingDown() {
    return nodes.list();
  }

  public List<Node> ready() {
    return nodes.list().stream().filter(n -> n.state() == NodeState.READY).toList();
  }

  /**
   * Every ready node's answer to a GET, as JSON. A node that cannot be reached (its agent died
   * and its lease has not expired yet) is left out with a warning, so one lost node does not
   * take {@code docker ps} down with it; {@link #unreachable()} names the nodes left out.
   */
  public Map<Node, JsonNode> fanOut(String target) {
    return calls.fanOut(ready(), target);
  }

  /** As {@link #fanOut(String)}, on the given nodes only. */
  public Map<Node, JsonNode> fanOut(List<Node> nodes, String target) {
    return calls.fanOut(nodes, target);
  }

  /** The nodes the last fan-out on this thread could not reach. */
  public List<String> unreachable() {
    return calls.unreachable();
  }

  /** Sends the same request to every ready node in parallel; each node's answer, in node order. */
  public Map<Node, NodeLink.Response> callAll(String method, String target, byte[] body) {
    List<Node> ready = ready();
    if (ready.isEmpty()) throw new BerthException.Unavailable("no node is ready");
    Map<Node, NodeLink.Response> answers = calls.callAll(ready, method, target, body);
    if (target.contains("/images/")) answers.keySet().forEach(cache::refreshImages);
    return answers;
  }

  /** One node's answer to a GET, as JSON; a 400 is the node's words, any other failure "unavailable". */
  public JsonNode get(Node n, String target) throws IOException {
    return calls.get(n, target);
  }

  /** Where a container is: by full id, {@code NAME}, {@code NODE/NAME} or a unique id prefix; with its labels (whose it is). */
  public record Located(Node node, String id, Map<String, String> labels) {}

  public Located locate(String ref) {
    return locate(ref, labels -> true);
  }

  /** As {@link #locate(String)} among the containers whose labels {@code visible} accepts: the others are not there. */
  public Located locate(String ref, Predicate<Map<String, String>> visible) {
    if (ref.length() == 64) { // a full id, as a client names what it created or started just now: no wait for its read-back
      for (Node n : ready()) {
        Optional<Map<String, String>> labels = cache.arriving(n, ref).filter(visible);
        if (labels.isPresent()) return new Located(n, ref, labels.get());
      }
    }
    Map<Node, List<ContainerCache.Entry>> all = entries();
    Optional<Located> found = find(ref, all, visible);
    if (found.isPresent()) return found.get();
    // Not in the cache: a container made on an engine directly may not have reached it yet. Ask.
    Map<Node, List<ContainerCache.Entry>> asked = new LinkedHashMap<>();
    fanOut("/containers/json?all=1").forEach((n, list) -> {
      List<ContainerCache.Entry> read = new ArrayList<>();
      for (JsonNode c : list) read.add(new ContainerCache.Entry((ObjectNode) c, null));
      asked.put(n, read);
    });
    found = find(ref, asked, visible);
    if (found.isPresent()) return found.get();
    if (!unreachable().isEmpty()) {
      throw new BerthException.Unavailable("No such container on the nodes that answered: " + ref + "; unreachable: "
          + String.join(", ", unreachable()));
    }
    throw new BerthException.NotFound("NoSuchContainer", "No such container: " + ref);
  }

  private static Optional<Located> find(String ref, Map<Node, List<ContainerCache.Entry>> all,
      Predicate<Map<String, String>> visible) {
    List<Located> byPrefix = new ArrayList<>();
    for (var e : all.entrySet()) {
      for (ContainerCache.Entry entry : e.getValue()) {
        JsonNode c = entry.summary();
        String id = c.path("Id").asText();
        boolean exact = id.equals(ref);
        for (JsonNode name : c.path("Names")) {
          String n = name.asText().substring(1);
          exact |= n.equals(ref) || (e.getKey().name() + "/" + n).equals(ref);
        }
        if (!exact && (ref.isEmpty() || !id.startsWith(ref))) continue;
        // Only a match's labels are read: a lookup among 10,000 nodes' containers builds one map, not one per container.
        Map<String, String> labels = Ownership.labels(c);
        if (!visible.test(labels)) continue;
        if (exact) return Optional.of(new Located(e.getKey(), id, labels));
        byPrefix.add(new Located(e.getKey(), id, labels));
      }
    }
    if (byPrefix.size() > 1) throw new BerthException.Invalid("multiple IDs found with provided prefix: " + ref);
    return byPrefix.stream().findFirst();
  }

  /** True when any node has a container of that name. */
  public boolean nameTaken(String name, Collection<List<ContainerCache.Entry>> containers) {
    for (List<ContainerCache.Entry> list : containers) {
      for (ContainerCache.Entry c : list) {
        for (JsonNode n : c.summary().path("Names")) if (n.asText().equals("/" + name)) return true;
      }
    }
    return false;
  }

  /**
   * The scheduler's view of the nodes held. A node's view is built once per version of its cache
   * and kept, so with 10,000 nodes a create rebuilds only the nodes that changed since the last one.
   */
  public List<NodeView> snapshot(List<Held> held) {
    List<Node> nodes = held.stream().map(Held::node).toList();
    return views.of(held, images(nodes), networks(nodes));
  }

  /** A container holds its reservation from its create (a run between create and start counts) until it exits. */
  public static boolean reserving(String state) {
    return switch (state) {
      case "created", "running", "paused", "restarting" -> true;
      default -> false;
    };
  }

  /** A node as the Docker endpoint shows it beside its containers and events (Swarm's {@code Node}). */
  public static ObjectNode nodeJson(Node n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ID", n.id());
    o.put("IP", n.host());
    o.put("Addr", n.address());
    o.put("Name", n.name().value());
    o.put("Cpus", n.engine().cpus());
    o.put("Memory", n.engine().memoryBytes());
    ObjectNode labels = o.putObject("Labels");
    n.labels().forEach(labels::put);
    return o;
  }
}

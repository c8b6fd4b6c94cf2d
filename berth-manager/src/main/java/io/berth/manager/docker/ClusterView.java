package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.manager.node.NodeRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The cluster's containers and images, read from every ready node at the moment they are needed
 * (in parallel). Simple and always right; a cache refreshed from each engine's event stream, as
 * Swarm kept, is the next step when `docker ps` latency at scale matters.
 */
final class ClusterView {
  static final String MEMORY_LABEL = "io.berth.reserved.memory";
  static final String CPUS_LABEL = "io.berth.reserved.cpus";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeRegistry nodes;
  private final NodeLink link;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterView.class);
  private final ThreadLocal<List<String>> lastUnreachable = ThreadLocal.withInitial(List::of);

  ClusterView(NodeRegistry nodes, NodeLink link) {
    this.nodes = nodes;
    this.link = link;
  }

  List<Node> nodesIncludingDown() {
    return nodes.list();
  }

  List<Node> ready() {
    return nodes.list().stream().filter(n -> n.state() == NodeState.READY).toList();
  }

  /**
   * Every ready node's answer to a GET, as JSON. A node that cannot be reached (its agent died
   * and its lease has not expired yet) is left out with a warning, so one lost node does not
   * take {@code docker ps} down with it; {@link #unreachable()} names the nodes left out.
   */
  Map<Node, JsonNode> fanOut(String target) {
    List<Node> ready = ready();
    Map<Node, JsonNode> out = new java.util.LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<Node, Future<JsonNode>> futures = new java.util.LinkedHashMap<>();
      for (Node n : ready) futures.put(n, pool.submit((Callable<JsonNode>) () -> get(n, target)));
      for (var e : futures.entrySet()) {
        try {
          out.put(e.getKey(), unwrap(e.getValue()));
        } catch (BerthException.Unavailable u) {
          log.warn("docker-node-unreachable node={} target={}: {}", e.getKey().name(), target, u.getMessage());
          missed.add(e.getKey().name() + " (" + e.getKey().address() + ")");
        }
      }
    }
    lastUnreachable.set(missed);
    return out;
  }

  /** The nodes the last fan-out on this thread could not reach. */
  List<String> unreachable() {
    return lastUnreachable.get();
  }

  /** Sends the same request to every ready node in parallel; each node's answer, in node order. */
  Map<Node, NodeLink.Response> callAll(String method, String target, byte[] body) {
    List<Node> ready = ready();
    if (ready.isEmpty()) throw new BerthException.Unavailable("no node is ready");
    Map<Node, NodeLink.Response> out = new java.util.LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<Node, Future<NodeLink.Response>> futures = new java.util.LinkedHashMap<>();
      for (Node n : ready) futures.put(n, pool.submit(() -> link.call(n, method, target, body)));
      for (var e : futures.entrySet()) {
        try {
          out.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException x) {
          if (x.getCause() instanceof RuntimeException re) throw re;
          throw new BerthException.Unavailable(String.valueOf(x.getCause().getMessage()));
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw new BerthException.Unavailable("interrupted");
        }
      }
    }
    return out;
  }

  JsonNode get(Node n, String target) throws IOException {
    NodeLink.Response r = link.call(n, "GET", target, null);
    if (r.status() / 100 != 2) throw new BerthException.Unavailable("node " + n.name() + " answered " + r.status() + " to " + target);
    return JSON.readTree(r.body());
  }

  private static JsonNode unwrap(Future<JsonNode> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new BerthException.Unavailable(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException.Unavailable("interrupted");
    }
  }

  /** Where a container is: by full id, {@code NAME}, {@code NODE/NAME} or a unique id prefix. */
  record Located(Node node, String id) {}

  Located locate(String ref) {
    Map<Node, JsonNode> all = fanOut("/containers/json?all=1");
    List<Located> byPrefix = new ArrayList<>();
    for (var e : all.entrySet()) {
      for (JsonNode c : e.getValue()) {
        String id = c.path("Id").asText();
        if (id.equals(ref)) return new Located(e.getKey(), id);
        for (JsonNode name : c.path("Names")) {
          String n = name.asText().substring(1);
          if (n.equals(ref) || (e.getKey().name() + "/" + n).equals(ref)) return new Located(e.getKey(), id);
        }
        if (!ref.isEmpty() && id.startsWith(ref)) byPrefix.add(new Located(e.getKey(), id));
      }
    }
    if (byPrefix.size() == 1) return byPrefix.get(0);
    if (byPrefix.size() > 1) throw new BerthException.Invalid("multiple IDs found with provided prefix: " + ref);
    if (!unreachable().isEmpty()) {
      throw new BerthException.Unavailable("No such container on the nodes that answered: " + ref + "; unreachable: "
          + String.join(", ", unreachable()));
    }
    throw new BerthException.NotFound("NoSuchContainer", "No such container: " + ref);
  }

  /** True when any node has a container of that name. */
  boolean nameTaken(String name, Map<Node, JsonNode> containers) {
    for (JsonNode list : containers.values()) {
      for (JsonNode c : list) {
        for (JsonNode n : c.path("Names")) if (n.asText().equals("/" + name)) return true;
      }
    }
    return false;
  }

  /** The scheduler's view of the ready nodes, from their containers and images. */
  List<NodeView> snapshot(Map<Node, JsonNode> containers) {
    Map<Node, JsonNode> images = fanOut("/images/json");
    List<NodeView> views = new ArrayList<>();
    for (var e : containers.entrySet()) {
      Node n = e.getKey();
      List<NodeView.ContainerView> cs = new ArrayList<>();
      for (JsonNode c : e.getValue()) cs.add(container(c));
      Set<String> imgs = new HashSet<>();
      for (JsonNode i : images.getOrDefault(n, JSON.createArrayNode())) {
        imgs.add(i.path("Id").asText());
        for (JsonNode t : i.path("RepoTags")) imgs.add(t.asText());
      }
      Map<String, String> labels = new HashMap<>(n.labels());
      labels.put("storagedriver", n.engine().storageDriver());
      labels.put("kernelversion", n.engine().kernelVersion());
      labels.put("operatingsystem", n.engine().operatingSystem());
      views.add(new NodeView(n.name(), n.id(), true, labels, n.engine().cpus(), n.engine().memoryBytes(), cs, imgs));
    }
    return views;
  }

  private static NodeView.ContainerView container(JsonNode c) {
    Map<String, String> labels = new HashMap<>();
    c.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
    List<PlacementRequest.HostPort> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.path("PublicPort").asInt() > 0) {
        ports.add(new PlacementRequest.HostPort(p.path("IP").asText(""), p.path("PublicPort").asInt(), p.path("Type").asText("tcp")));
      }
    }
    String name = c.path("Names").size() > 0 ? c.path("Names").get(0).asText().substring(1) : null;
    return new NodeView.ContainerView(c.path("Id").asText(), name, c.path("Image").asText(), labels, ports,
        "running".equals(c.path("State").asText()), parseLong(labels.get(MEMORY_LABEL)), parseDouble(labels.get(CPUS_LABEL)));
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double parseDouble(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

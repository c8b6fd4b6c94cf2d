package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import io.berth.engine.EngineException;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.NodeLink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Image routes over the cluster, as Swarm did them: what adds an image ({@code load}, {@code pull},
 * {@code import}) reaches every ready node; {@code tag} and {@code rmi} act on every node that has
 * the image; reads ({@code inspect}, {@code history}, {@code save}) go to one node that has it.
 */
final class Images {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;

  Images(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  /**
   * {@code pull}, {@code load} and {@code import} on every ready node at once, the client's headers
   * ({@code X-Registry-Auth}) passed on. When every node has accepted, their progress is relayed as
   * it comes, each line marked with its node ({@code "node2: Pull complete"}, as Swarm showed it);
   * when one refuses, the answer is its refusal, the node named.
   */
  Reply everyNode(Exchange ex, String[] parts) throws IOException {
    List<Node> ready = cluster.ready();
    if (ready.isEmpty()) throw new BerthException.Unavailable("no node is ready");
    List<NodeLink.Upstream> ups = new ArrayList<>();
    List<Runnable> changed = ready.stream().map(cluster.cache()::imagesChanging).toList();
    Runnable done = () -> {
      ups.forEach(NodeLink.Upstream::close);
      changed.forEach(Runnable::run);
    };
    try {
      for (Node n : ready) ups.add(link.send(n, ex.request(), ex.versioned(), ex.body()));
      for (NodeLink.Upstream u : ups) {
        if (u.head().status() / 100 != 2) {
          NodeLink.Response r = new NodeLink.Response(u.head(), u.head().readBody(u.in(), 1 << 20));
          throw refusal(u.node(), r);
        }
      }
    } catch (IOException | RuntimeException e) {
      done.run();
      throw e;
    }
    return new Reply.Stream(out -> relayAll(ups, out), done);
  }

  private static void relayAll(List<NodeLink.Upstream> ups, OutputStream out) {
    List<Thread> relays = new ArrayList<>();
    for (NodeLink.Upstream u : ups) relays.add(Thread.ofVirtual().name("docker-progress-" + u.node().name()).start(() -> relay(u, out)));
    try {
      for (Thread t : relays) t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One node's progress lines, marked with the node's name, onto the shared answer. */
  private static void relay(NodeLink.Upstream u, OutputStream out) {
    String node = u.node().name().value();
    try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(u.body())) {
      while (lines.hasNextValue()) {
        JsonNode line = lines.nextValue();
        if (line instanceof ObjectNode o) {
          if (o.hasNonNull("id")) o.put("id", node + "/" + o.path("id").asText());
          else if (o.hasNonNull("status")) o.put("status", node + ": " + o.path("status").asText());
          else if (o.hasNonNull("stream")) o.put("stream", node + ": " + o.path("stream").asText());
          if (o.hasNonNull("error")) o.put("error", node + ": " + o.path("error").asText());
          if (o.path("errorDetail").hasNonNull("message")) ((ObjectNode) o.path("errorDetail")).put("message", o.path("error").asText());
        }
        byte[] bytes = (JSON.writeValueAsString(line) + "\r\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
          out.write(bytes);
          out.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the node's stream or the client ended
    }
  }

  /** {@code POST /images/{name}/push}: from a node that has the image, its progress relayed as it comes. */
  Reply push(Exchange ex, String[] parts) {
    String name = DockerPaths.decode(parts[0]);
    String tag = ex.queryParam("tag");
    Node node = holder(tag == null || tag.isEmpty() ? name : name + ":" + tag);
    Runnable changed = cluster.cache().imagesChanging(node); // a push adds the image's digest to the node's listing
    return new Reply.Forward(node, ex.request(), failure -> changed.run());
  }

  /** {@code inspect}, {@code history} and the like: from a node that has the image. */
  Reply read(Exchange ex, String[] parts) {
    return new Reply.Forward(holder(DockerPaths.decode(parts[0])), ex.request());
  }

  /** {@code docker save}: from a node that has the first image named. */
  Reply save(Exchange ex, String[] parts) {
    String first = ex.queryParam("names");
    if (first == null) throw new BerthException.Invalid("no image named: save needs names=");
    return new Reply.Forward(holder(first), ex.request());
  }

  /** {@code DELETE /images/{name}} on every node that has it; the untagged and deleted lists merged. */
  Reply remove(Exchange ex, String[] parts) throws IOException {
    String name = DockerPaths.decode(parts[0]);
    Map<Node, NodeLink.Response> answers = cluster.callAll("DELETE", ex.versioned(), null);
    ArrayNode merged = JSON.createArrayNode();
    NodeLink.Response firstError = null;
    Node failed = null;
    for (var e : answers.entrySet()) {
      NodeLink.Response r = e.getValue();
      if (r.status() == 200) {
        for (JsonNode item : JSON.readTree(r.body())) merged.add(item);
      } else if (r.status() != 404 && firstError == null) {
        firstError = r;
        failed = e.getKey();
      }
    }
    if (firstError != null) throw refusal(failed, firstError);
    if (merged.isEmpty()) throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
    return new Reply.Json(200, merged);
  }

  /** {@code POST /images/{name}/tag} on every node that has the image. */
  Reply tag(Exchange ex, String[] parts) {
    String name = DockerPaths.decode(parts[0]);
    Map<Node, NodeLink.Response> answers = cluster.callAll("POST", ex.versioned(), new byte[0]);
    boolean any = false;
    for (var e : answers.entrySet()) {
      int s = e.getValue().status();
      if (s / 100 == 2) any = true;
      else if (s != 404) throw refusal(e.getKey(), e.getValue());
    }
    if (!any) throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
    return new Reply.Bytes(201, "application/json", new byte[0], Map.of());
  }

  /** The first ready node that has the image, for reads. */
  Node holder(String name) {
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":");
    for (Node n : cluster.ready()) {
      if (link.call(n, "GET", "/v" + DockerEndpoint.API_VERSION + "/images/" + encoded + "/json", null).status() == 200) return n;
    }
    throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
  }

  private static String message(NodeLink.Response r) {
    try {
      JsonNode j = JSON.readTree(r.body());
      if (j.has("message")) return j.path("message").asText();
    } catch (IOException e) {
      // not JSON: fall through to the raw text
    }
    return new String(r.body(), StandardCharsets.UTF_8).strip();
  }

  /**
   * A node refused: the fleet's engine client error, carrying the node's own status and words with the
   * node named; the Docker endpoint passes both on as they came.
   */
  static EngineException refusal(Node node, NodeLink.Response r) {
    return new EngineException(r.status(), "node " + node.name() + ": " + message(r));
  }
}

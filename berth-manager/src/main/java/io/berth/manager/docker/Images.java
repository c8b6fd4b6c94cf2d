package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Image routes over the cluster, as Swarm did them: what adds an image ({@code load}, {@code pull},
 * {@code import}) reaches every ready node; {@code tag} and {@code rmi} act on every node that has
 * the image; reads ({@code inspect}, {@code history}, {@code save}) go to one node that has it.
 */
final class Images {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ClusterView cluster;
  private final NodeLink link;

  Images(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  /** Sends the same request to every ready node; answers with the progress of each, or the first failure. */
  void everyNode(DockerEndpoint.Exchange ex, String target) throws IOException {
    Map<Node, NodeLink.Response> answers = callAll(ex.request().method(), target, ex.body());
    ByteArrayOutputStream merged = new ByteArrayOutputStream();
    for (var e : answers.entrySet()) {
      NodeLink.Response r = e.getValue();
      if (r.status() / 100 != 2) {
        throw new NodeFailure(r.status(), "node " + e.getKey().name() + ": " + message(r));
      }
      merged.write(r.body());
    }
    DockerEndpoint.send(ex.out(), 200, "application/json", merged.toByteArray(), Map.of());
  }

  /** {@code DELETE /images/{name}} on every node that has it; the untagged and deleted lists merged. */
  void remove(DockerEndpoint.Exchange ex, String target, String name) throws IOException {
    Map<Node, NodeLink.Response> answers = callAll("DELETE", target, null);
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
    if (firstError != null) throw new NodeFailure(firstError.status(), "node " + failed.name() + ": " + message(firstError));
    if (merged.isEmpty()) throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
    DockerEndpoint.json(ex.out(), 200, merged);
  }

  /** {@code POST /images/{name}/tag} on every node that has the image. */
  void tag(DockerEndpoint.Exchange ex, String target, String name) throws IOException {
    Map<Node, NodeLink.Response> answers = callAll("POST", target, new byte[0]);
    boolean any = false;
    for (var e : answers.entrySet()) {
      int s = e.getValue().status();
      if (s / 100 == 2) any = true;
      else if (s != 404) throw new NodeFailure(s, "node " + e.getKey().name() + ": " + message(e.getValue()));
    }
    if (!any) throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
    DockerEndpoint.send(ex.out(), 201, "application/json", new byte[0], Map.of());
  }

  /** The first ready node that has the image, for reads. */
  Node holder(String name) {
    String encoded = java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":");
    for (Node n : cluster.ready()) {
      if (link.call(n, "GET", "/v" + DockerEndpoint.API_VERSION + "/images/" + encoded + "/json", null).status() == 200) return n;
    }
    throw new BerthException.NotFound("NoSuchImage", "No such image: " + name);
  }

  private Map<Node, NodeLink.Response> callAll(String method, String target, byte[] body) {
    return cluster.callAll(method, target, body);
  }

  static String message(NodeLink.Response r) {
    try {
      JsonNode j = JSON.readTree(r.body());
      if (j.has("message")) return j.path("message").asText();
    } catch (IOException e) {
      // not JSON: fall through to the raw text
    }
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
  }

  /** A node refused: passed on with the node's own status and words, the node named. */
  static final class NodeFailure extends RuntimeException {
    final int status;

    NodeFailure(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}

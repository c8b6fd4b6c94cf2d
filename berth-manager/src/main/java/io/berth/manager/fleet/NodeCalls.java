package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests asked of many nodes at once, one virtual thread each, their answers in node order: the fan-outs behind
 * {@link ClusterView}. At most {@link #IN_FLIGHT} of one fan-out's calls are under way at a time: while thousands
 * of nodes join and are not yet in the cache's step, a reader asks each of them, and dialling them all at once
 * took the manager past its file limit (each dial a socket and a TLS handshake) at ~7,400 hollow nodes.
 */
final class NodeCalls {
  /** Calls of one fan-out under way at once: at a handshake's ~10 ms, 1,000 nodes are asked in well under a second. */
  static final int IN_FLIGHT = 64;
  private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final NodeLink link;
  private final ThreadLocal<List<String>> lastUnreachable = ThreadLocal.withInitial(List::of);

  NodeCalls(NodeLink link) {
    this.link = link;
  }

  /** Each node's answer to a GET; one that cannot be reached is left out with a warning and named by {@link #unreachable()}. */
  Map<Node, JsonNode> fanOut(List<Node> nodes, String target) {
    Map<Node, JsonNode> out = new LinkedHashMap<>();
    List<String> missed = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<Node, Future<JsonNode>> futures = new LinkedHashMap<>();
      Semaphore room = new Semaphore(IN_FLIGHT);
      for (Node n : nodes) futures.put(n, pool.submit((Callable<JsonNode>) () -> bounded(room, () -> get(n, target))));
      for (var e : futures.entrySet()) {
        try {
          out.put(e.getKey(), await(e.getValue()));
        } catch (BerthException.Unavailable u) {
          log.warn("docker-node-unreachable node={} target={}: {}", e.getKey().name(), target, u.getMessage());
          missed.add(e.getKey().name() + " (" + e.getKey().address() + ")");
        }
      }
    }
    lastUnreachable.set(missed);
    return out;
  }

  List<String> unreachable() {
    return lastUnreachable.get();
  }

  /** The same request to each node in parallel; each node's answer, in node order. */
  Map<Node, NodeLink.Response> callAll(List<Node> nodes, String method, String target, byte[] body) {
    Map<Node, NodeLink.Response> out = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<Node, Future<NodeLink.Response>> futures = new LinkedHashMap<>();
      Semaphore room = new Semaphore(IN_FLIGHT);
      for (Node n : nodes) futures.put(n, pool.submit(() -> bounded(room, () -> link.call(n, method, target, body))));
      for (var e : futures.entrySet()) out.put(e.getKey(), await(e.getValue()));
    }
    return out;
  }

  private static <T> T bounded(Semaphore room, Callable<T> call) throws Exception {
    room.acquire();
    try {
      return call.call();
    } finally {
      room.release();
    }
  }

  JsonNode get(Node n, String target) throws IOException {
    NodeLink.Response r = link.call(n, "GET", target, null);
    // A 400 refuses the request itself (a filter the engine does not know): every node would; the client gets its words.
    if (r.status() == 400) throw new BerthException.Invalid(message(r.body()));
    if (r.status() / 100 != 2) throw new BerthException.Unavailable("node " + n.name() + " answered " + r.status() + " to " + target);
    return JSON.readTree(r.body());
  }

  private static String message(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      return JSON.readTree(body).path("message").asText(text);
    } catch (IOException e) {
      return text;
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new BerthException.Unavailable(String.valueOf(e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException.Unavailable("interrupted");
    }
  }
}

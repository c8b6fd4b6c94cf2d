package io.berth.manager.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.node.Node;
import io.berth.engine.DockerJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every ready node's event stream, merged into one, each event carrying its {@code node} and the
 * node's attributes on its actor (as Swarm added them). A merge ends when every node's stream ends ({@code --until}) or when the client goes away.
 */
public final class Events {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;

  Events(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  /**
   * Asks every ready node for {@code target} ({@code /v1.41/events?…}, filtered to what the caller may
   * see); a node that cannot be reached fails the whole call before anything is relayed.
   */
  public Merge open(String target) throws IOException {
    List<Node> nodes = cluster.ready();
    List<Socket> upstreams = new ArrayList<>();
    try {
      for (Node n : nodes) {
        Socket s = link.open(n);
        upstreams.add(s);
        EngineHttp.get(s, target);
      }
      return new Merge(nodes, upstreams);
    } catch (IOException | RuntimeException e) {
      upstreams.forEach(Events::closeQuietly);
      throw e;
    }
  }

  /** The nodes' streams, asked and not read yet. */
  public static final class Merge {
    private final List<Node> nodes;
    private final List<Socket> upstreams;

    private Merge(List<Node> nodes, List<Socket> upstreams) {
      this.nodes = nodes;
      this.upstreams = upstreams;
    }

    /** Closes every node's stream (again, when the relay has). */
    public void close() {
      upstreams.forEach(Events::closeQuietly);
    }

    /** Relays every node's events to {@code out} until they all end or {@code clientIn} closes; closes the streams. */
    public void relay(OutputStream out, InputStream clientIn) {
      try {
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          Node node = nodes.get(i);
          Socket s = upstreams.get(i);
          readers.add(Thread.ofVirtual().name("docker-events-" + node.name()).start(() -> relayNode(node, s, out)));
        }
        // The client closing its side ends the merge: watch for it while the readers run.
        Thread watcher = Thread.ofVirtual().start(() -> {
          try {
            while (clientIn.read() >= 0) { /* a client sends nothing more on an events request */ }
          } catch (IOException ignored) {
            // gone
          }
          upstreams.forEach(Events::closeQuietly);
        });
        for (Thread t : readers) t.join();
        watcher.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        upstreams.forEach(Events::closeQuietly);
      }
    }
  }

  private static void relayNode(Node node, Socket s, OutputStream out) {
    try {
      InputStream in = new BufferedInputStream(s.getInputStream());
      HttpMessage head = HttpMessage.read(in);
      if (head == null || head.status() != 200) return;
      ObjectNode where = ClusterView.nodeJson(node);
      try (MappingIterator<JsonNode> events = JSON.readerFor(JsonNode.class).readValues(EngineHttp.body(head, in))) {
        while (events.hasNextValue()) {
          JsonNode e = events.nextValue();
          if (e instanceof ObjectNode o) mark(o, node, where);
          byte[] line = (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
          synchronized (out) {
            out.write(line);
            out.flush();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the node's stream or the client ended
    }
  }

  /**
   * Marks an event with its node as Swarm did: the top-level {@code node} object, and {@code node.name},
   * {@code node.id}, {@code node.addr} and {@code node.ip} among the actor's attributes, where clients that
   * filter by attribute (and {@code docker events --format}) look for them.
   */
  static void mark(ObjectNode event, Node node, ObjectNode where) {
    event.set("node", where);
    ObjectNode actor = event.path("Actor") instanceof ObjectNode a ? a : event.putObject("Actor");
    ObjectNode attributes = actor.path("Attributes") instanceof ObjectNode a ? a : actor.putObject("Attributes");
    attributes.put("node.name", node.name().value());
    attributes.put("node.id", node.id());
    attributes.put("node.addr", node.address());
    attributes.put("node.ip", node.host());
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

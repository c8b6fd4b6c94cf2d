package io.berth.manager.docker;

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
 * {@code GET /events}: every ready node's event stream, merged into one, each event carrying its
 * {@code node} (as Swarm added it). Ends when every node's stream ends ({@code --until}) or when the
 * client goes away.
 */
final class Events {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;

  Events(ClusterView cluster, NodeLink link) {
    this.cluster = cluster;
    this.link = link;
  }

  /** Streams the nodes' answers to {@code target} ({@code /v1.41/events?…}, filtered to what the caller may see). */
  void stream(DockerEndpoint.Exchange ex, String target) throws IOException {
    List<Socket> upstreams = new ArrayList<>();
    List<Node> nodes = cluster.ready();
    try {
      for (Node n : nodes) {
        Socket s = link.open(n);
        upstreams.add(s);
        s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
      }
      OutputStream out = ex.out();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: " + DockerEndpoint.API_VERSION
          + "\r\nServer: Berth\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        Node node = nodes.get(i);
        Socket s = upstreams.get(i);
        readers.add(Thread.ofVirtual().name("docker-events-" + node.name()).start(() -> relay(node, s, out, ex)));
      }
      // The client closing its side ends the merge: watch for it while the readers run.
      Thread watcher = Thread.ofVirtual().start(() -> {
        try {
          while (ex.clientIn().read() >= 0) { /* a client sends nothing more on an events request */ }
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

  private static void relay(Node node, Socket s, OutputStream out, DockerEndpoint.Exchange ex) {
    try {
      InputStream in = new BufferedInputStream(s.getInputStream());
      HttpMessage head = HttpMessage.read(in);
      if (head == null || head.status() != 200) return;
      InputStream body = head.isChunked() ? new ChunkedInput(in) : in;
      ObjectNode where = DockerRoutes.nodeJson(node);
      try (MappingIterator<JsonNode> events = JSON.readerFor(JsonNode.class).readValues(body)) {
        while (events.hasNextValue()) {
          JsonNode e = events.nextValue();
          if (e instanceof ObjectNode o) o.set("node", where);
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

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

package io.berth.manager.fleet;

import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.core.node.NodeState;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;

/**
 * A node's engine for the link's and the cache's tests: answers each request by a script, on as many
 * connections as come (each kept alive until the script says otherwise), and counts connections and requests.
 */
final class ScriptedEngine implements AutoCloseable {
  static final EngineFacts FACTS = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);
  static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  /** As the engine answers a start: no Content-Length, no body. */
  static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n";

  /** What the engine does with the {@code n}th request (counted from 0 over all connections). */
  @FunctionalInterface
  interface Script {
    /** Writes the answer, or nothing; false closes the connection after it. */
    boolean answer(int n, HttpMessage request, OutputStream out) throws IOException;
  }

  final AtomicInteger connections = new AtomicInteger();
  /** Request lines in the order they were read whole. */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Counted down each time the engine closes a connection. */
  volatile CountDownLatch closed = new CountDownLatch(1);
  private final ServerSocket server;
  private final Script script;

  ScriptedEngine(ServerSocketFactory factory, Script script) throws IOException {
    this.server = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread.ofVirtual().start(this::accept);
  }

  /** Plain TCP, as an engine the manager reaches directly. */
  ScriptedEngine(Script script) throws IOException {
    this(ServerSocketFactory.getDefault(), script);
  }

  /** Writes {@code answer} and keeps the connection. */
  static boolean write(OutputStream out, String answer) throws IOException {
    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return true;
  }

  /** A JSON 200 of {@code body}. */
  static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  /** This engine as a node: reached directly ({@code access} ENGINE) or through an agent. */
  Node node(NodeAccess access) {
    return new Node(NodeName.of("n1"), "n1-id", "127.0.0.1:" + server.getLocalPort(), NodeState.READY, FACTS, Map.of(),
        Instant.EPOCH, Instant.EPOCH, access);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      for (HttpMessage req = HttpMessage.read(in); req != null; req = HttpMessage.read(in)) {
        req.readBody(in, 1 << 20);
        int n;
        synchronized (requests) {
          n = requests.size();
          requests.add(req.startLine());
        }
        if (!script.answer(n, req, s.getOutputStream())) break;
      }
    } catch (IOException e) {
      // the client went
    } finally {
      closed.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

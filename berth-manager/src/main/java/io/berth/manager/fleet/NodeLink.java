package io.berth.manager.fleet;

import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The one engine client of every node: through its agent (a mutual-TLS connection per request) or
 * to a discovered engine itself, on which a request goes out as the client sent it and the answer
 * comes back byte for byte. Requests and answers are written and read by {@link EngineHttp}.
 */
public final class NodeLink {
  private static final int MAX_BUFFERED = 64 << 20;
  private static final int MAX_IDLE_PER_NODE = 8;
  /** Idle connections kept over all nodes: at thousands of nodes, file descriptors run out before memory does. */
  private static final int MAX_IDLE_TOTAL = 2048;
  private final AtomicInteger idleTotal = new AtomicInteger();
  private final SSLContext tls;
  /** For engines reached directly: TLS with the manager's --tlscert, or null for plain TCP. */
  private final SSLContext engineTls;
  /** Idle kept-alive connections per node address, most recently used first. */
  private final Map<String, Deque<Pooled>> pool = new ConcurrentHashMap<>();

  /** A connection with its buffered reader, which must outlive one exchange to be reused. */
  private static final class Pooled {
    final Socket socket;
    final InputStream in;

    Pooled(Socket socket) {
      this.socket = socket;
      try {
        this.in = new BufferedInputStream(socket.getInputStream());
      } catch (IOException e) {
        throw new BerthException.Unavailable("cannot read from " + socket.getRemoteSocketAddress() + ": " + e.getMessage());
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  NodeLink(SSLContext tls, SSLContext engineTls) {
    this.tls = tls;
    this.engineTls = engineTls;
  }

  /** An answer read whole. */
  public record Response(HttpMessage head, byte[] body) {
    public int status() {
      return head.status();
    }
  }

  /** A connection to the node's engine: through its agent (mutual TLS 1.3), or to the engine itself. */
  public Socket open(Node node) {
    boolean direct = node.access() == NodeAccess.ENGINE;
    try {
      SSLContext ctx = direct ? engineTls : tls;
      Socket s = ctx == null ? new Socket() : ctx.getSocketFactory().createSocket();
      s.setTcpNoDelay(true); // a request head and body are separate small writes: no Nagle delay
      s.connect(new InetSocketAddress(node.host(), Integer.parseInt(node.address().substring(node.address().lastIndexOf(':') + 1))), 3000);
      if (s instanceof SSLSocket ssl) {
        if (!direct) ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.setSoTimeout(30_000);
        ssl.startHandshake();
        s.setSoTimeout(0);
      }
      return s;
    } catch (IOException e) {
      throw new BerthException.Unavailable("node " + node.name() + " (" + node.address() + ") is unreachable: " + e.getMessage());
    }
  }

  /**
   * Sends one request and reads the whole answer. GETs reuse a kept-alive connection to the node
   * when one is idle (a TLS handshake saved per call on the fan-outs behind ps, info and lookups),
   * and retry once on a fresh one if the idle one had gone stale; anything else gets a fresh
   * connection, so a retry can never repeat a create.
   */
  public Response call(Node node, String method, String target, byte[] body) {
    boolean reusable = method.equals("GET");
    Pooled idle = reusable ? pool.computeIfAbsent(node.address(), a -> new ConcurrentLinkedDeque<>()).pollFirst() : null;
    if (idle != null) {
      idleTotal.decrementAndGet();
      try {
        return exchange(node, idle, method, target, body, true);
      } catch (IOException stale) {
        idle.close(); // the node closed it while it sat idle: fall through to a fresh connection
      }
    }
    Pooled fresh = new Pooled(open(node));
    try {
      return exchange(node, fresh, method, target, body, reusable);
    } catch (IOException e) {
      fresh.close();
      throw new BerthException.Unavailable("node " + node.name() + " failed mid-request: " + e.getMessage());
    }
  }

  private Response exchange(Node node, Pooled c, String method, String target, byte[] body, boolean keepAlive) throws IOException {
    c.socket.setSoTimeout(60_000);
    EngineHttp.send(c.socket.getOutputStream(), EngineHttp.request(method, target, keepAlive, body), body);
    HttpMessage res = EngineHttp.head(c.in);
    boolean framed = res.isChunked() || res.contentLength() >= 0;
    Response r = new Response(res, EngineHttp.readBody(res, c.in, MAX_BUFFERED));
    if (keepAlive && framed && !"close".equalsIgnoreCase(res.header("Connection"))) {
      Deque<Pooled> idle = pool.computeIfAbsent(node.address(), a -> new ConcurrentLinkedDeque<>());
      if (idle.size() < MAX_IDLE_PER_NODE && idleTotal.incrementAndGet() <= MAX_IDLE_TOTAL) {
        idle.offerFirst(c);
        return r;
      }
      if (idle.size() < MAX_IDLE_PER_NODE) idleTotal.decrementAndGet();
    }
    c.close();
    return r;
  }

  /** A request sent on its own connection, its answer's head read and its body still to come. */
  public record Upstream(Node node, Socket socket, HttpMessage head, InputStream in) {
    /** The answer's body as plain bytes (chunks undone). */
    public InputStream body() {
      return EngineHttp.body(head, in);
    }

    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /**
   * Sends a client's request (its headers kept, the target replaced) on a fresh connection and
   * reads the head of the answer, leaving the body to the caller, who must close the upstream.
   */
  public Upstream send(Node node, HttpMessage request, String target, byte[] body) {
    HttpMessage out = request.retargeted(target)
        .withHeader("Transfer-Encoding", null).withHeader("Content-Length", Integer.toString(body.length))
        .withHeader("Connection", "close");
    return begin(node, out, body);
  }

  /** Writes a prepared request on a fresh connection and reads the head of the answer; the socket closes on failure. */
  private Upstream begin(Node node, HttpMessage out, byte[] body) {
    Socket up = open(node);
    try {
      EngineHttp.send(up.getOutputStream(), out, body);
      InputStream in = new BufferedInputStream(up.getInputStream());
      return new Upstream(node, up, EngineHttp.head(in), in);
    } catch (IOException e) {
      try {
        up.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      throw new BerthException.Unavailable("node " + node.name() + " failed mid-request: " + e.getMessage());
    }
  }

  /**
   * Forwards a client's request to the node and relays the answer until either side closes. A
   * {@code 101} hijack is relayed both ways, each direction half-closed after its EOF. The client
   * connection is not reused afterwards (the answer is sent with {@code Connection: close}).
   * {@code status} is told the node's answer before it is relayed.
   */
  public void forward(Node node, HttpMessage request, byte[] body, Socket client, InputStream clientIn, IntConsumer status)
      throws IOException {
    boolean upgrade = request.wantsUpgrade();
    HttpMessage out = request.withHeader("Transfer-Encoding", null)
        .withHeader("Content-Length", body.length > 0 || request.contentLength() >= 0 ? Integer.toString(body.length) : null);
    if (!upgrade) out = out.withHeader("Connection", "close");
    Upstream upstream = begin(node, out, body);
    try (Socket up = upstream.socket()) {
      InputStream upIn = upstream.in();
      HttpMessage res = upstream.head();
      status.accept(res.status());
      OutputStream clientOut = client.getOutputStream();
      if (res.status() == 101) {
        res.write(clientOut);
        clientOut.flush();
        EngineHttp.relayBothWays(client, clientIn, up, upIn);
        return;
      }
      res.withHeader("Connection", "close").write(clientOut);
      clientOut.flush();
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = upIn.read(buf)) >= 0) { // streams (logs -f, wait, events) flush as they come
        clientOut.write(buf, 0, n);
        clientOut.flush();
      }
    }
  }
}

package io.berth.manager.fleet;

import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.manager.http.lean.FileRoom;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one engine client of every node: through its agent (mutual TLS) or to a discovered engine itself,
 * on which a request goes out as the client sent it and the answer comes back byte for byte. Requests
 * and answers are written and read by {@link EngineHttp}. Whole exchanges ({@link #call}) reuse kept-alive
 * connections, a TLS handshake saved per call; a relayed request may take an idle one too, which it does not give back.
 */
public final class NodeLink {
  private static final Logger log = LoggerFactory.getLogger(NodeLink.class);
  private static final int MAX_BUFFERED = 64 << 20;
  private static final int MAX_IDLE_PER_NODE = 8;
  /** Idle connections kept over all nodes: at thousands of nodes, file descriptors run out before memory does. */
  private static final int MAX_IDLE_TOTAL = 2048;
  private final NodeDialler dialler;
  /** Idle kept-alive connections per node address. */
  private final IdlePool pool = new IdlePool(MAX_IDLE_PER_NODE, MAX_IDLE_TOTAL, PooledConnection.MAX_IDLE.toNanos());
  /** Nodes a fresh idle connection is being made for ({@link #warm}). */
  private final Set<String> warming = ConcurrentHashMap.newKeySet();

  /** Takes this link's idle connections out of the process's {@link FileRoom}. */
  private final Runnable leaveRoom;

  NodeLink(SSLContext tls, SSLContext engineTls) {
    this.dialler = new NodeDialler(tls, engineTls);
    this.leaveRoom = FileRoom.PROCESS.add(FileRoom.POOLS, pool::closeIdlest);
  }

  /** Leaves the process's {@link FileRoom} (a stopped manager's pool is nobody's to close). */
  void close() {
    leaveRoom.run();
  }

  /** An answer read whole. */
  public record Response(HttpMessage head, byte[] body) {
    public int status() {
      return head.status();
    }
  }

  /** A connection to the node's engine: through its agent (mutual TLS 1.3), or to the engine itself. */
  public Socket open(Node node) {
    return dial(node).socket;
  }

  private PooledConnection dial(Node node) {
    return dialler.dial(node);
  }

  /**
   * Sends one request and reads the whole answer, on a kept-alive connection to the node when one is idle
   * and still fit. A request is never sent twice unless it is a GET: an idle connection is probed before it
   * carries anything ({@link PooledConnection#fit}), and when a create or a start fails once its first byte
   * may have gone out, the failure is the answer. A GET that fails on an idle connection (the node closed it
   * as it was taken) is sent again once, on a fresh one.
   */
  public Response call(Node node, String method, String target, byte[] body) {
    long asked = System.nanoTime();
    return onConnection(node, method, c -> exchange(node, c, method, target, body, asked));
  }

  /** One use of a connection: a whole exchange, or a request sent and its answer's head read. */
  @FunctionalInterface
  private interface Use<T> {
    T on(PooledConnection c) throws IOException;
  }

  /**
   * Runs {@code use} on an idle connection that is still fit, or else a fresh one. A GET that fails on the idle
   * one is tried once more on a fresh one; any other request that fails is answered with the failure.
   */
  private <T> T onConnection(Node node, String method, Use<T> use) {
    PooledConnection idle = takeIdle(node);
    if (idle != null) {
      try {
        return use.on(idle);
      } catch (IOException stale) {
        idle.close();
        if (!method.equals("GET")) throw failed(node, stale);
      }
    }
    PooledConnection fresh = dial(node);
    try {
      return use.on(fresh);
    } catch (IOException e) {
      fresh.close();
      throw failed(node, e);
    }
  }

  private static BerthException.Unavailable failed(Node node, IOException e) {
    return new BerthException.Unavailable("node " + node.name() + " failed mid-request: " + e.getMessage());
  }

  private PooledConnection takeIdle(Node node) {
    return pool.take(node.address(), System.nanoTime());
  }

  private Response exchange(Node node, PooledConnection c, String method, String target, byte[] body, long asked) throws IOException {
    long taken = System.nanoTime();
    c.socket.setSoTimeout(60_000);
    EngineHttp.send(c.socket.getOutputStream(), EngineHttp.request(method, target, true, body), body);
    long sent = System.nanoTime();
    HttpMessage res = EngineHttp.head(c.in);
    long head = System.nanoTime();
    boolean bodyless = !res.hasBody() || method.equals("HEAD");
    boolean framed = bodyless || res.isChunked() || res.contentLength() >= 0;
    Response r = new Response(res, bodyless ? new byte[0] : EngineHttp.readBody(res, c.in, MAX_BUFFERED));
    if (!framed || "close".equalsIgnoreCase(res.header("Connection")) || !keep(node, c)) c.close();
    timing("node-call-timing", method, target, asked, taken, sent, head);
    return r;
  }

  /**
   * Where a call's time went, in microseconds: taking a connection (a probe of an idle one, or a dial and handshake),
   * writing the request, the node's answer head (the agent's hops and the engine's work), and its body read. Debug.
   */
  private static void timing(String what, String method, String target, long asked, long taken, long sent, long head) {
    if (!log.isDebugEnabled()) return;
    long now = System.nanoTime();
    log.debug("{} {} {} take={} send={} head={} body={}", what, method, target.replaceFirst("\\?.*", ""), (taken - asked) / 1000,
        (sent - taken) / 1000, (head - sent) / 1000, (now - head) / 1000);
  }

  /**
   * Closes the idle connections no call took within their {@link PooledConnection#MAX_IDLE}: a full pool makes room
   * on its own, but one that never fills would hold those until their node was called again, each a file
   * descriptor the manager may need for a node's event stream or an agent's connection.
   */
  void sweepIdle() {
    pool.sweep(System.nanoTime());
  }

  /** Puts the connection among the node's idle ones; false when the pool is full (the caller closes it). */
  private boolean keep(Node node, PooledConnection c) {
    return pool.keep(node.address(), c, System.nanoTime());
  }

  /**
   * After a relay took the node's last idle connection (it is not given back), makes a fresh one in the
   * background, so that the next call does not pay a handshake: {@code docker run -d}'s start follows its
   * relayed {@code wait} at once. One at a time per node, and only for nodes in use just now.
   */
  private void warm(Node node) {
    if (pool.hasIdle(node.address()) || !warming.add(node.address())) return;
    Thread.ofVirtual().name("node-link-warm").start(() -> {
      try {
        PooledConnection c = dial(node);
        if (!keep(node, c)) c.close();
      } catch (RuntimeException unreachable) {
        // the next call dials itself and says why
      } finally {
        warming.remove(node.address());
      }
    });
  }

  /**
   * A request sent on its own connection, its answer's head read and its body still to come. {@code tcp} is the
   * connection under TLS: closed first, it ends a read blocked on the answer at once, from any thread.
   */
  public record Upstream(Node node, Socket socket, HttpMessage head, InputStream in, SocketChannel tcp) {
    /** The answer's body as plain bytes (chunks undone). */
    public InputStream body() {
      return EngineHttp.body(head, in);
    }

    /**
     * Ends the answer's reading from another thread, as the client's leaving does: the reader sees the end of the
     * stream, as if the node had closed. The TLS session is left whole to be resumed; closing the socket under its
     * reader would be a TLS failure, which throws the session and its tickets away and makes the next connection
     * pay a full handshake.
     */
    void stopReading() {
      try {
        if (tcp != null) {
          tcp.shutdownInput();
          return;
        }
      } catch (IOException e) {
        // closed already, or closing below
      }
      close();
    }

    public void close() {
      for (java.io.Closeable c : new java.io.Closeable[] {tcp, socket}) {
        try {
          c.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  /**
   * Sends a client's request (its headers kept, the target replaced) and reads the head of the answer,
   * leaving the body to the caller, who must close the upstream.
   */
  public Upstream send(Node node, HttpMessage request, String target, byte[] body) {
    HttpMessage out = request.retargeted(target)
        .withHeader("Transfer-Encoding", null).withHeader("Content-Length", Integer.toString(body.length))
        .withHeader("Connection", "close");
    return begin(node, out, body);
  }

  /**
   * Writes a prepared request and reads the head of the answer; the connection closes on failure. An idle
   * kept-alive connection carries it when one is fit (its handshake already made: {@code docker run}'s
   * {@code wait} is on the path to its start), and it is not kept after: the request asks the node to close.
   */
  private Upstream begin(Node node, HttpMessage out, byte[] body) {
    long asked = System.nanoTime();
    return onConnection(node, out.method(), c -> {
      long taken = System.nanoTime();
      warm(node);
      c.socket.setSoTimeout(0); // a stream (logs -f, wait, events) waits as long as it must
      EngineHttp.send(c.socket.getOutputStream(), out, body);
      long sent = System.nanoTime();
      HttpMessage head = EngineHttp.head(c.in);
      timing("node-relay-timing", out.method(), out.target(), asked, taken, sent, System.nanoTime());
      return new Upstream(node, c.socket, head, c.in, c.tcp());
    });
  }

  /**
   * Forwards a client's request to the node and relays the answer until either side closes. A
   * {@code 101} hijack is relayed both ways, each direction half-closed after its EOF. The client
   * connection is not reused afterwards (the answer is sent with {@code Connection: close}).
   * {@code status} is told the node's answer before it is relayed. False when the client left before the answer
   * ended, which ends the relay (and the node's work for it, as on the engine: a {@code wait}, a log stream, a build).
   */
  public boolean forward(Node node, HttpMessage request, byte[] body, Socket client, InputStream clientIn, IntConsumer status)
      throws IOException {
    boolean upgrade = request.wantsUpgrade();
    HttpMessage out = request.withHeader("Transfer-Encoding", null)
        .withHeader("Content-Length", body.length > 0 || request.contentLength() >= 0 ? Integer.toString(body.length) : null);
    if (!upgrade) out = out.withHeader("Connection", "close");
    Upstream upstream = begin(node, out, body);
    try {
      Socket up = upstream.socket();
      InputStream upIn = upstream.in();
      HttpMessage res = upstream.head();
      status.accept(res.status());
      OutputStream clientOut = client.getOutputStream();
      if (res.status() == 101) {
        res.write(clientOut);
        clientOut.flush();
        EngineHttp.relayBothWays(client, clientIn, up, upIn);
        return true;
      }
      res.withHeader("Connection", "close").write(clientOut);
      clientOut.flush();
      AtomicBoolean clientLeft = new AtomicBoolean();
      Thread watch = EngineHttp.onClientGone(clientIn, () -> {
        clientLeft.set(true);
        upstream.stopReading();
      });
      try {
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = upIn.read(buf)) >= 0) { // streams (logs -f, wait, events) flush as they come
          clientOut.write(buf, 0, n);
          clientOut.flush();
        }
      } catch (IOException e) {
        if (!clientLeft.get()) throw e; // else the client went first and the relay was ended for it: nothing is owed to anyone
      } finally {
        watch.interrupt();
      }
      return !clientLeft.get();
    } finally {
      upstream.close();
    }
  }
}

package io.berth.manager.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.engine.DockerJson;
import io.berth.engine.EngineException;
import io.berth.engine.HttpReasons;
import io.berth.manager.bundle.Bundles;
import io.berth.manager.fleet.EngineHttp;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.http.lean.AcceptFailures;
import io.berth.store.StoreException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's Docker-compatible endpoint: the Docker Engine API v1.41 over the whole cluster,
 * with and without the {@code /v1.NN} prefix. One virtual thread per connection; requests on a
 * connection are served in turn (keep-alive) until a forwarded one takes the connection over.
 * Errors are Docker's {@code {"message": …}}, so the docker CLI prints "Error response from daemon".
 */
public final class DockerEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerEndpoint.class);
  static final String API_VERSION = EngineHttp.API_VERSION;
  private static final int MAX_BODY = 16 << 20;
  /** One mapper for every answer: building one per answer cost more than writing a short one. */
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  /** Image tarballs ({@code docker load}, {@code import}) and build contexts are held in memory before they go to the nodes. */
  private static final int MAX_IMAGE_BODY = 512 << 20;
  /** An answer's body up to this size goes out in one write with its head. */
  private static final int ONE_WRITE = 64 * 1024;
  private final ServerSocket server;
  private final DockerRoutes routes;
  private final Callers callers;

  private DockerEndpoint(ServerSocket server, DockerRoutes routes, Callers callers) {
    this.server = server;
    this.routes = routes;
    this.callers = callers;
    Thread.ofVirtual().name("docker-endpoint").start(this::accept);
  }

  /**
   * Listens on {@code addr}, over TLS when {@code tls} is given ({@code verifyClients}: a client
   * certificate signed by the context's CA is required, as {@code dockerd --tlsverify}); a bind
   * failure is one sentence.
   */
  public static DockerEndpoint start(InetSocketAddress addr, DockerRoutes routes, SSLContext tls, boolean verifyClients) {
    return start(addr, routes, tls, verifyClients, null);
  }

  /**
   * As {@link #start(InetSocketAddress, DockerRoutes, SSLContext, boolean)}, where the user
   * certificates the cluster CA signed are client {@code bundles} naming their users; every other verified
   * client certificate is an administrator.
   */
  public static DockerEndpoint start(InetSocketAddress addr, DockerRoutes routes, SSLContext tls, boolean verifyClients,
      Bundles bundles) {
    try {
      ServerSocket s;
      if (tls == null) {
        s = new ServerSocket();
      } else {
        SSLServerSocket ss = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        ss.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ss.setNeedClientAuth(verifyClients);
        s = ss;
      }
      s.setReuseAddress(true);
      s.bind(addr, 256);
      return new DockerEndpoint(s, routes, new Callers(routes.access(), bundles));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for the Docker endpoint on " + addr.getHostString() + ":" + addr.getPort() + ": "
          + (e instanceof BindException ? "the address is in use or not available on this machine" : e.getMessage()), e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    AcceptFailures failures = new AcceptFailures();
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        failures.accepted();
        s.setTcpNoDelay(true); // small heads and frames must not wait for delayed ACKs
        Thread.ofVirtual().name("docker-conn").start(() -> serve(s));
      } catch (IOException e) {
        if (server.isClosed()) return;
        failures.handle(e, m -> log.warn("docker-endpoint-accept-failed: {}", m)); // out of descriptors: room made, a pause
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      AuditTrail audits = new AuditTrail(callers.access());
      while (true) {
        HttpMessage req = HttpMessage.read(in);
        if (req == null) return;
        long read = System.nanoTime();
        int max = req.target().contains("/images/load") || req.target().contains("/images/create") || req.target().contains("/build")
            ? MAX_IMAGE_BODY : MAX_BODY;
        byte[] body = req.wantsUpgrade() && req.contentLength() < 0 && !req.isChunked() ? new byte[0] : req.readBody(in, max);
        if (!answer(req, body, client, in, out, audits, read)) return;
        if ("close".equalsIgnoreCase(req.header("Connection"))) return;
      }
    } catch (IOException e) {
      log.debug("docker-connection-ended: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("docker-endpoint-internal-error", e);
    }
  }

  /** Answers one request, a failure as Docker's error body; false when the connection must end (taken over, or our bug). */
  private boolean answer(HttpMessage req, byte[] body, Socket client, InputStream in, OutputStream out, AuditTrail audits, long read)
      throws IOException {
    Exchange.Answer answer = new Exchange.Answer();
    Principal caller = null;
    try {
      caller = callers.of(req, client);
      return routes.handle(new Exchange(req, body, client, in, caller, answer));
    } catch (BerthException e) {
      if (e.status() >= 500) log.warn("docker-request-failed {} {}: {}", req.method(), req.target(), e.getMessage());
      error(out, e.status(), e.getMessage());
      answer.status = e.status();
    } catch (StoreException e) {
      // The store lost its quorum, or this manager its lead: Docker's shape, and a retry may work.
      log.warn("docker-request-failed {} {}: {}", req.method(), req.target(), e.getMessage());
      error(out, 503, e.getMessage());
      answer.status = 503;
    } catch (IllegalArgumentException e) {
      error(out, 400, e.getMessage());
      answer.status = 400;
    } catch (EngineException e) {
      error(out, e.status(), e.getMessage());
      answer.status = e.status();
    } catch (RuntimeException e) {
      // A bug of ours: the client gets a sentence and the log gets the trace, then the connection ends.
      log.error("docker-endpoint-internal-error {} {}", req.method(), req.target(), e);
      error(out, 500, "internal error in Berth's Docker endpoint (" + e.getClass().getSimpleName() + "); the manager's log has the details");
      answer.status = 500;
      return false;
    } finally {
      long done = System.nanoTime();
      audits.record(req, caller, client, answer);
      timing(req, answer, read, done);
    }
    return true;
  }

  /**
   * Where a request's time went at the manager, in microseconds from its head read: to its answer's head going out
   * ({@code head}; a relayed one's as the node sent it), to the end of the answer ({@code done}), and the audit's hand-off
   * after it ({@link AuditTrail}). Debug: {@code scripts/bench docker} reads it.
   */
  private static void timing(HttpMessage req, Exchange.Answer answer, long read, long done) {
    if (!log.isDebugEnabled()) return;
    log.debug("docker-request-timing {} {} status={} head={} done={} audit={}", req.method(), req.target().replaceFirst("\\?.*", ""),
        answer.status, answer.headNanos == 0 ? -1 : (answer.headNanos - read) / 1000, (done - read) / 1000, (System.nanoTime() - done) / 1000);
  }

  static void error(OutputStream out, int status, String message) throws IOException {
    json(out, status, Map.of("message", message == null ? "error" : message));
  }

  static void json(OutputStream out, int status, Object value) throws IOException {
    send(out, status, "application/json", JSON.writeValueAsBytes(value), Map.of());
  }

  /** Writes a whole answer; a small body in the same write as the head (one segment to the client, not two). */
  static void send(OutputStream out, int status, String type, byte[] body, Map<String, String> headers) throws IOException {
    byte[] head = head(status, type, body.length, headers);
    if (body.length <= ONE_WRITE) {
      byte[] both = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, both, head.length, body.length);
      out.write(both);
    } else {
      out.write(head);
      out.write(body);
    }
    out.flush();
  }

  /** The head of an answer whose body is {@code length} bytes. */
  private static byte[] head(int status, String type, long length, Map<String, String> headers) {
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(HttpReasons.of(status)).append("\r\n")
        .append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(length).append("\r\n")
        .append("Api-Version: ").append(API_VERSION).append("\r\nServer: Berth\r\n");
    headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    return h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes what a route returned: a value or bytes whole, a stream after its head, a forward as the
   * node's own answer relayed. False when the connection is spent (a stream or a relay).
   */
  static boolean write(Exchange ex, Reply reply, NodeLink link) throws IOException {
    switch (reply) {
      case Reply.Json j -> json(ex.out(), j.status(), j.value());
      case Reply.Bytes b -> send(ex.out(), b.status(), b.type(), b.body(), b.headers());
      case Reply.Sized z -> {
        OutputStream out = ex.out();
        out.write(head(z.status(), z.type(), z.length(), Map.of()));
        z.body().write(out);
        out.flush();
      }
      case Reply.Stream s -> stream(ex, s);
      case Reply.Forward f -> {
        Exception failure = null;
        try {
          ex.forward(link, f.node(), f.request());
        } catch (IOException | RuntimeException e) {
          failure = e;
          throw e;
        } finally {
          f.after().accept(failure);
        }
      }
    }
    return reply.keepsConnection();
  }

  /**
   * Writes a stream: chunked for an HTTP/1.1 client (one chunk per flush, as the engine frames it), until the
   * connection closes for an older one. {@code done} runs before the last chunk, so what it refreshes is in the
   * cache by the time the client sees the answer end.
   */
  private static void stream(Exchange ex, Reply.Stream s) throws IOException {
    boolean chunked = ex.request().startLine().endsWith("HTTP/1.1");
    OutputStream out = streamHead(ex.out(), chunked);
    ChunkedOutput body = chunked ? new ChunkedOutput(out) : null;
    try {
      s.body().write(chunked ? body : out);
    } finally {
      s.done().run();
    }
    if (chunked) body.finish();
  }

  /** Writes the head of a 200 streamed as it comes (merged events, every node's progress); returns {@code out}. */
  static OutputStream streamHead(OutputStream out, boolean chunked) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: " + API_VERSION
        + "\r\nServer: Berth\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : "") + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return out;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

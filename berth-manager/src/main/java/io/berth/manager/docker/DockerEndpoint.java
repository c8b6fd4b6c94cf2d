package io.berth.manager.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import io.berth.core.node.Node;
import io.berth.manager.fleet.EngineHttp;
import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.identity.AuditEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
  private static final int MAX_BODY = 16 << 20;
  /** One mapper for every answer: building one per answer cost more than writing a short one. */
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Image tarballs ({@code docker load}, {@code import}) and build contexts are held in memory before they go to the nodes. */
  private static final int MAX_IMAGE_BODY = 512 << 20;
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
  public static DockerEndpoint start(InetSocketAddress addr, DockerRoutes routes, javax.net.ssl.SSLContext tls, boolean verifyClients) {
    return start(addr, routes, tls, verifyClients, null);
  }

  /**
   * As {@link #start(InetSocketAddress, DockerRoutes, javax.net.ssl.SSLContext, boolean)}, where the user
   * certificates the cluster CA signed are client {@code bundles} naming their users; every other verified
   * client certificate is an administrator.
   */
  public static DockerEndpoint start(InetSocketAddress addr, DockerRoutes routes, javax.net.ssl.SSLContext tls, boolean verifyClients,
      io.berth.manager.bundle.Bundles bundles) {
    try {
      ServerSocket s;
      if (tls == null) {
        s = new ServerSocket();
      } else {
        javax.net.ssl.SSLServerSocket ss = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        ss.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ss.setNeedClientAuth(verifyClients);
        s = ss;
      }
      s.setReuseAddress(true);
      s.bind(addr, 256);
      return new DockerEndpoint(s, routes, new Callers(routes.access(), bundles));
    } catch (IOException e) {
      routes.close();
      throw new IllegalStateException("cannot listen for the Docker endpoint on " + addr.getHostString() + ":" + addr.getPort() + ": "
          + (e instanceof BindException ? "the address is in use or not available on this machine" : e.getMessage()), e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true); // small heads and frames must not wait for delayed ACKs
        Thread.ofVirtual().name("docker-conn").start(() -> serve(s));
      } catch (IOException e) {
        if (!server.isClosed()) log.warn("docker-endpoint-accept-failed: {}", e.getMessage());
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        HttpMessage req = HttpMessage.read(in);
        if (req == null) return;
        int max = req.target().contains("/images/load") || req.target().contains("/images/create") || req.target().contains("/build")
            ? MAX_IMAGE_BODY : MAX_BODY;
        byte[] body = req.wantsUpgrade() && req.contentLength() < 0 && !req.isChunked() ? new byte[0] : req.readBody(in, max);
        Answer answer = new Answer();
        Principal caller = null;
        try {
          caller = callers.of(req, client);
          Exchange ex = new Exchange(req, body, client, in, caller, answer);
          if (!routes.handle(ex)) return; // the route took the connection over
        } catch (BerthException e) {
          if (e.status() >= 500) log.warn("docker-request-failed {} {}: {}", req.method(), req.target(), e.getMessage());
          error(out, e.status(), e.getMessage());
          answer.status = e.status();
        } catch (IllegalArgumentException e) {
          error(out, 400, e.getMessage());
          answer.status = 400;
        } catch (Images.NodeFailure e) {
          error(out, e.status, e.getMessage());
          answer.status = e.status;
        } catch (RuntimeException e) {
          // A bug of ours: the client gets a sentence and the log gets the trace, then the connection ends.
          log.error("docker-endpoint-internal-error {} {}", req.method(), req.target(), e);
          error(out, 500, "internal error in Berth's Docker endpoint (" + e.getClass().getSimpleName() + "); the manager's log has the details");
          answer.status = 500;
          return;
        } finally {
          audit(req, caller, client, answer);
        }
        if ("close".equalsIgnoreCase(req.header("Connection"))) return;
      }
    } catch (IOException e) {
      log.debug("docker-connection-ended: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("docker-endpoint-internal-error", e);
    }
  }

  /** Every call that is not a GET or HEAD goes to the audit, whatever its outcome; one that could not be recorded is logged. */
  private void audit(HttpMessage req, Principal caller, Socket client, Answer answer) {
    String m = req.method();
    if (m.equals("GET") || m.equals("HEAD")) return;
    Exchange ex = new Exchange(req, new byte[0], client, null, caller, answer);
    int status = answer.status == 0 ? 200 : answer.status; // a stream taken over before its head was seen
    try {
      callers.access().audit(new AuditEntry(java.time.Instant.now(), caller == null ? Principal.ANONYMOUS : caller.user(),
          caller == null ? "none" : caller.via(), Callers.remote(client), "docker " + m + " " + DockerRoutes.auditPath(ex.path()),
          DockerRoutes.auditTarget(ex), status, AuditEntry.outcome(status)));
    } catch (RuntimeException e) {
      log.warn("docker-audit-failed {} {}: {}", m, ex.path(), e.toString());
    }
  }

  static void error(OutputStream out, int status, String message) throws IOException {
    json(out, status, Map.of("message", message == null ? "error" : message));
  }

  static void json(OutputStream out, int status, Object value) throws IOException {
    send(out, status, "application/json", JSON.writeValueAsBytes(value), Map.of());
  }

  static void send(OutputStream out, int status, String type, byte[] body, Map<String, String> headers) throws IOException {
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(io.berth.engine.HttpReasons.of(status)).append("\r\n")
        .append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(body.length).append("\r\n")
        .append("Api-Version: ").append(API_VERSION).append("\r\nServer: Berth\r\n");
    headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Writes the head of a 200 streamed until the connection closes (merged events, every node's progress); returns {@code out}. */
  static OutputStream streamHead(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: " + API_VERSION
        + "\r\nServer: Berth\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return out;
  }

  /** The status a request was answered with, as seen on its way out (0 until then). */
  static final class Answer {
    volatile int status;
  }

  /** One request with its connection and its caller, for a route to answer or take over. */
  record Exchange(HttpMessage request, byte[] body, Socket client, InputStream clientIn, Principal caller, Answer answer) {
    Exchange(HttpMessage request, byte[] body, Socket client, InputStream clientIn) {
      this(request, body, client, clientIn, Callers.LOCAL, new Answer());
    }

    /** Forwards the request (or {@code request}, its target replaced) to the node and relays the answer; see {@link NodeLink#forward}. */
    void forward(NodeLink link, Node node, HttpMessage request) throws IOException {
      link.forward(node, request, body, client, clientIn, this::answered);
    }

    /** Notes the status of an answer written elsewhere (a forwarded one). */
    void answered(int status) {
      if (answer.status == 0) answer.status = status;
    }

    /** The path without the {@code /v1.NN} prefix and without the query. */
    String path() {
      String t = request.target();
      int q = t.indexOf('?');
      String p = q < 0 ? t : t.substring(0, q);
      Matcher m = VERSIONED.matcher(p);
      return m.matches() ? m.group(2) : p;
    }

    String query() {
      String t = request.target();
      int q = t.indexOf('?');
      return q < 0 ? "" : t.substring(q + 1);
    }

    String queryParam(String name) {
      for (String pair : query().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    /** The client's stream; the status line of what is written through it is noted for the audit. */
    OutputStream out() throws IOException {
      OutputStream raw = client.getOutputStream();
      return new java.io.FilterOutputStream(raw) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (answer.status == 0 && len >= 12 && b[off] == 'H' && b[off + 8] == ' ') {
            String line = new String(b, off + 9, 3, StandardCharsets.ISO_8859_1);
            if (line.chars().allMatch(Character::isDigit)) answered(Integer.parseInt(line));
          }
          raw.write(b, off, len);
        }
      };
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    routes.close();
  }
}

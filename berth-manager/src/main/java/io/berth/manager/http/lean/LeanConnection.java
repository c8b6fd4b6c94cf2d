package io.berth.manager.http.lean;

import com.sun.net.httpserver.HttpHandler;
import io.berth.cluster.Json;
import io.berth.cluster.wire.ErrorBody;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection on its own virtual thread: the TLS handshake (on the first read), then
 * requests one after another while the client keeps the connection and sends the next within the
 * idle timeout. Between requests it holds only the socket and a {@link #IN_BUFFER}-byte read
 * buffer; an exchange's {@link #OUT_BUFFER}-byte write buffer lives as long as the exchange.
 */
final class LeanConnection implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LeanConnection.class);
  /** The read buffer kept for the connection's life (a kept-alive client may send its next request at once). */
  static final int IN_BUFFER = 2048;
  /** Gathers a response's headers and small writes into one TLS record. */
  static final int OUT_BUFFER = 4096;
  private final LeanServer server;
  private final SSLSocket socket;
  private final HttpHandler handler;
  private volatile boolean busy;
  /** When the connection was accepted or last answered a request (System.nanoTime). */
  private volatile long idleSinceNanos = System.nanoTime();

  LeanConnection(LeanServer server, SSLSocket socket, HttpHandler handler) {
    this.server = server;
    this.socket = socket;
    this.handler = handler;
  }

  /** Whether a request is being answered (a stop with a delay lets it finish). */
  boolean busy() {
    return busy;
  }

  /** When the connection was accepted or last answered a request ({@link System#nanoTime}). */
  long idleSinceNanos() {
    return idleSinceNanos;
  }

  /** Closes the socket: a read waiting on it ends, and so does the connection's thread. */
  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("lean-close-failed {}: {}", socket.getRemoteSocketAddress(), e.toString());
    }
  }

  @Override
  public void run() {
    try (socket) {
      socket.setSoTimeout((int) server.idleTimeout().toMillis());
      InputStream in = new BufferedInputStream(socket.getInputStream(), IN_BUFFER);
      OutputStream out = socket.getOutputStream();
      while (!server.stopping()) {
        RequestHead head;
        try {
          head = RequestHead.read(in);
        } catch (RequestHead.Invalid e) {
          refuse(out, e.status, e.status == 431 ? "HeadersTooLarge" : "InvalidRequest", e.getMessage());
          return;
        } catch (SocketTimeoutException e) {
          return; // idle past the timeout (or a handshake never finished): the client reconnects when it needs to
        }
        if (head == null) return;
        server.requested();
        busy = true;
        try {
          if (!answer(head, in, out)) return;
        } finally {
          idleSinceNanos = System.nanoTime();
          busy = false;
        }
      }
    } catch (SSLException e) {
      log.debug("lean-tls-failed {}: {}", socket.getRemoteSocketAddress(), e.getMessage());
    } catch (IOException e) {
      log.debug("lean-connection-ended {}: {}", socket.getRemoteSocketAddress(), e.toString());
    } finally {
      server.ended(this);
    }
  }

  /** Runs the handler on one request; whether the connection may carry the next. */
  private boolean answer(RequestHead head, InputStream in, OutputStream out) throws IOException {
    if (head.expectsContinue()) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    InputStream body = head.bodyLength() == RequestHead.CHUNKED ? ChunkedInput.strict(in) : new Bodies.FixedInput(in, head.bodyLength());
    LeanExchange ex = new LeanExchange(socket, head, body, new BufferedOutputStream(out, OUT_BUFFER), server.stopping());
    try {
      handler.handle(ex);
      if (!ex.sent()) throw new IllegalStateException("the handler returned without an answer");
    } catch (Exception e) {
      // The trace goes to the log only; the client hears a short 500 (if nothing was sent yet) and a closed connection.
      if (e instanceof IOException) {
        log.debug("lean-handler-io {} {}: {}", head.method(), head.uri().getRawPath(), e.toString());
      } else {
        log.error("lean-handler-failed {} {}", head.method(), head.uri().getRawPath(), e);
      }
      if (!ex.sent()) {
        ex.getResponseHeaders().clear();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.closeAfter();
        byte[] problem = Json.bytes(new ErrorBody("InternalError", "internal error"));
        ex.sendResponseHeaders(500, problem.length);
        ex.getResponseBody().write(problem);
      }
      ex.close();
      return false;
    }
    ex.close();
    return !ex.closing();
  }

  /** Answers a request that could not be read, then the connection closes (its framing is lost). */
  private static void refuse(OutputStream out, int status, String name, String message) throws IOException {
    byte[] body = Json.bytes(new ErrorBody(name, message));
    String head = "HTTP/1.1 " + status + (status == 431 ? " Request Header Fields Too Large" : " Bad Request")
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }
}

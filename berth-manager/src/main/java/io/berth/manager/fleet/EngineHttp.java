package io.berth.manager.fleet;

import io.berth.cluster.Relay;
import io.berth.manager.http.lean.ChunkedInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The one HTTP/1.1 client of the engines: every request the manager sends an engine (through its
 * agent or directly) is written here, and every answer's head and body read here, chunked or not,
 * and a {@code 101} hijack relayed here. Written by hand rather than taken from a library because a
 * hijacked connection goes on as raw bytes on the same socket, which no client library here allows.
 */
public final class EngineHttp {
  /** The Docker Engine API version Berth asks engines for and offers its own clients. */
  public static final String API_VERSION = "1.41";
  /** The path prefix of a request at that version. */
  public static final String V = "/v" + API_VERSION;
  /** A body up to this size is sent in one write with its head (a create's body is ~1.5 KB); larger ones are not copied. */
  static final int ONE_WRITE = 64 * 1024;

  private EngineHttp() {}

  /**
   * A request's head: {@code METHOD target} to the engine, with {@code Connection: close} unless it is
   * {@code keepAlive}, and a JSON body's type and length when there is a {@code body}.
   */
  static HttpMessage request(String method, String target, boolean keepAlive, byte[] body) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Host", "docker"});
    if (!keepAlive) headers.add(new String[] {"Connection", "close"});
    if (body != null) {
      headers.add(new String[] {"Content-Type", "application/json"});
      headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
    }
    return new HttpMessage(method + " " + target + " HTTP/1.1", headers);
  }

  /** Sends {@code GET target} on the socket, the connection to close after the answer (streams and probes). */
  static void get(Socket s, String target) throws IOException {
    send(s.getOutputStream(), request("GET", target, false, null), null);
  }

  /**
   * Writes a request and its body ({@code null} for none) and flushes. A small body goes out in the same write as the
   * head: over TLS every write is a record of its own, which the agent reads, relays and the engine reads apart.
   */
  static void send(OutputStream out, HttpMessage request, byte[] body) throws IOException {
    if (body != null && body.length > 0 && body.length <= ONE_WRITE) {
      ByteArrayOutputStream both = new ByteArrayOutputStream(512 + body.length);
      request.write(both);
      both.write(body);
      both.writeTo(out);
    } else {
      request.write(out);
      if (body != null) out.write(body);
    }
    out.flush();
  }

  /** Reads an answer's head; an {@link IOException} when the engine closed the connection instead. */
  static HttpMessage head(InputStream in) throws IOException {
    HttpMessage head = HttpMessage.read(in);
    if (head == null) throw new IOException("the engine closed the connection without answering");
    return head;
  }

  /** An answer's body as plain bytes as they come: chunks undone, or up to EOF. */
  static InputStream body(HttpMessage head, InputStream in) {
    return head.isChunked() ? ChunkedInput.lenient(in) : in;
  }

  /** An answer's body whole, by its framing or (with {@code Connection: close}) up to EOF; at most {@code max} bytes. */
  static byte[] readBody(HttpMessage head, InputStream in, int max) throws IOException {
    if (head.isChunked() || head.contentLength() >= 0) return head.readBody(in, max);
    return in.readNBytes(max);
  }

  /**
   * Watches a client whose answer is being relayed and runs {@code gone} when it closes its side or its connection
   * fails; bytes it sends meanwhile (no client of a relayed answer sends any) are read and dropped. The engine ends a
   * {@code wait}, a {@code logs -f} or a {@code stats} stream whose client closed; a relay that noticed only at its
   * next write would hold its connections to the node as long as the container runs: {@code docker run -d} leaves
   * its {@code wait} open, and exits. The caller interrupts the watch when the relay ends, which closes the client's
   * socket.
   */
  static Thread onClientGone(InputStream clientIn, Runnable gone) {
    return Thread.ofVirtual().name("docker-relay-client-watch").start(() -> {
      try {
        byte[] skip = new byte[512];
        while (clientIn.read(skip) >= 0) {
          // a client of a relayed answer sends nothing more; bytes that come anyway are not a request to serve
        }
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) return; // the relay ended first: the caller closes the client
      }
      gone.run();
    });
  }

  /**
   * Relays a hijacked ({@code 101}) connection both ways until each side's EOF, half-closing the
   * other side's output after it, so {@code docker attach} and {@code exec} end as they would on the engine.
   */
  static void relayBothWays(Socket client, InputStream clientIn, Socket up, InputStream upIn) throws IOException {
    OutputStream upOut = up.getOutputStream();
    OutputStream clientOut = client.getOutputStream();
    Thread upward = Thread.ofVirtual().name("docker-hijack-up").start(() -> Relay.copyThenHalfClose(clientIn, upOut, up::shutdownOutput));
    Relay.copyThenHalfClose(upIn, clientOut, client::shutdownOutput);
    try {
      upward.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

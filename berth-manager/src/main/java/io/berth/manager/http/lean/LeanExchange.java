package io.berth.manager.http.lean;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One request and its response on a {@link LeanConnection}, as the JDK's {@code HttpsExchange}, so
 * that handlers written for the JDK's server ({@code Routes}) run unchanged. The response follows
 * {@link #sendResponseHeaders}: a length of 0 is a chunked body (on HTTP/1.0, one ended by closing
 * the connection), -1 no body, n exactly n bytes; HEAD and 1xx/204/304 answers carry no body.
 */
final class LeanExchange extends HttpsExchange {
  /** How much of a request body the handler left is skipped to keep the connection; past it the connection closes. */
  static final long DRAIN_BYTES = 64 * 1024;
  private final SSLSocket socket;
  private final RequestHead head;
  private final OutputStream wire;
  private final Headers responseHeaders = new Headers();
  private InputStream requestBody;
  private OutputStream responseBody;
  private Map<String, Object> attributes;
  private int code = -1;
  private boolean closing;
  private boolean closed;

  /** @param wire the connection's buffered output, which this exchange flushes as its body is flushed and when it closes */
  LeanExchange(SSLSocket socket, RequestHead head, InputStream requestBody, OutputStream wire, boolean closing) {
    this.socket = socket;
    this.head = head;
    this.requestBody = requestBody;
    this.wire = wire;
    this.closing = closing || !head.keepAlive();
  }

  /** Whether the response headers went out. */
  boolean sent() {
    return code >= 0;
  }

  /** Whether the connection must close after this exchange (the client's wish, a body left unread or unfinished, a stop). */
  boolean closing() {
    return closing;
  }

  /** Has the response say {@code Connection: close} and the connection close after it: set before the headers go. */
  void closeAfter() {
    closing = true;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    if (sent()) throw new IOException("response headers already sent");
    if (rCode < 100 || rCode > 999) throw new IllegalArgumentException("bad response code: " + rCode);
    code = rCode;
    if (rCode < 200 || rCode == 204 || rCode == 304) {
      if (rCode != 304) responseHeaders.remove("Content-Length");
      responseBody = new Bodies.FixedOutput(wire, 0);
    } else if (head.method().equals("HEAD")) {
      // The length a GET would send, if the handler says it; what it writes is dropped, as a GET's handler may write it.
      if (responseLength > 0) responseHeaders.set("Content-Length", Long.toString(responseLength));
      responseBody = OutputStream.nullOutputStream();
    } else if (responseLength > 0) {
      responseHeaders.set("Content-Length", Long.toString(responseLength));
      responseBody = new Bodies.FixedOutput(wire, responseLength);
    } else if (responseLength < 0) {
      responseHeaders.set("Content-Length", "0");
      responseBody = new Bodies.FixedOutput(wire, 0);
    } else if (head.protocol().equals("HTTP/1.0")) {
      closing = true;
      responseBody = new Bodies.UntilCloseOutput(wire);
    } else {
      responseHeaders.set("Transfer-Encoding", "chunked");
      responseBody = new Bodies.ChunkedOutput(wire);
    }
    if (closing) responseHeaders.set("Connection", "close");
    responseHeaders.set("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    StringBuilder h = new StringBuilder(256).append("HTTP/1.1 ").append(rCode).append(' ').append(Reasons.of(rCode)).append("\r\n");
    responseHeaders.forEach((name, values) -> {
      for (String v : values) h.append(name).append(": ").append(v).append("\r\n");
    });
    wire.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    // A stream's client waits for the headers before its first piece; a counted body follows at once.
    if (!(responseBody instanceof Bodies.FixedOutput f) || f.complete()) wire.flush();
  }

  /**
   * Finishes the exchange: skips what is left of the request body, ends the response body, flushes. Before the
   * headers went out it only marks the connection to close, so that its owner can still answer.
   */
  @Override
  public void close() {
    if (closed) return;
    if (!sent()) {
      closing = true; // nothing answered yet: the connection answers 500 (LeanConnection), then closes
      return;
    }
    closed = true;
    try {
      long left = DRAIN_BYTES;
      for (long n; left > 0 && (n = requestBody.skip(left)) > 0; ) left -= n;
      if (!bodyRead()) closing = true;
      if (responseBody != null) responseBody.close();
      if (responseBody instanceof Bodies.FixedOutput f && !f.complete()) closing = true;
      wire.flush();
    } catch (IOException e) {
      closing = true;
    }
  }

  private boolean bodyRead() {
    return requestBody instanceof BodyInput b && b.done();
  }

  @Override
  public Headers getRequestHeaders() {
    return head.headers();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return head.uri();
  }

  @Override
  public String getRequestMethod() {
    return head.method();
  }

  /** This server has one handler and no contexts. */
  @Override
  public HttpContext getHttpContext() {
    throw new UnsupportedOperationException("the lean server has no contexts");
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  /** The response body once {@link #sendResponseHeaders} chose its framing; before, a stream that refuses writes. */
  @Override
  public OutputStream getResponseBody() {
    return responseBody != null ? responseBody : new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        if (responseBody == null) throw new IOException("response headers not sent yet");
        responseBody.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (responseBody == null) throw new IOException("response headers not sent yet");
        responseBody.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        if (responseBody != null) responseBody.flush();
      }

      @Override
      public void close() {
        LeanExchange.this.close();
      }
    };
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public String getProtocol() {
    return head.protocol();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes == null ? null : attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (attributes == null) attributes = new HashMap<>();
    if (value == null) attributes.remove(name);
    else attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) requestBody = i;
    if (o != null) responseBody = o;
  }

  /** No authenticator: the routes check the TLS peer themselves. */
  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  @Override
  public SSLSession getSSLSession() {
    return socket.getSession();
  }

  /** The reason phrases of the codes the routes send; others go without one (RFC 9112 allows it). */
  private static final class Reasons {
    private static final Map<Integer, String> PHRASES = Map.ofEntries(Map.entry(100, "Continue"), Map.entry(200, "OK"),
        Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"),
        Map.entry(302, "Found"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"), Map.entry(400, "Bad Request"),
        Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
        Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(412, "Precondition Failed"), Map.entry(413, "Content Too Large"),
        Map.entry(422, "Unprocessable Content"), Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
        Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"));

    static String of(int code) {
      return PHRASES.getOrDefault(code, "");
    }
  }
}

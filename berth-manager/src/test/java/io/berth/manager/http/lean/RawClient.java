package io.berth.manager.http.lean;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A test's HTTP/1.1 client on a bare TLS socket: it writes exactly the bytes given and reads responses as sent. */
final class RawClient implements AutoCloseable {
  final SSLSocket socket;
  private final InputStream in;

  RawClient(SSLContext tls, InetSocketAddress server) throws IOException {
    socket = (SSLSocket) tls.getSocketFactory().createSocket(server.getAddress(), server.getPort());
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.setSoTimeout(60_000); // a guard against a hung test, not a timed assertion
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** One response: status, headers (names lower-cased) and body. */
  record Response(int status, Map<String, String> headers, String body) {}

  RawClient send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response; {@code head} says it answers a HEAD (no body whatever the headers say). */
  Response read(boolean head) throws IOException {
    String status = line();
    if (status == null) throw new IOException("connection closed before a response");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    String body;
    if (head || code < 200 || code == 204 || code == 304) {
      body = "";
    } else if ("chunked".equals(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int n = Integer.parseInt(line(), 16); n > 0; n = Integer.parseInt(line(), 16)) {
        b.write(in.readNBytes(n));
        line();
      }
      line();
      body = b.toString(StandardCharsets.UTF_8);
    } else if (headers.containsKey("content-length")) {
      body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
    } else {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new Response(code, headers, body);
  }

  Response read() throws IOException {
    return read(false);
  }

  /** A line without its CRLF; null at the end of the stream. */
  String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) return s.isEmpty() ? null : s.toString();
      if (c != '\r') s.append((char) c);
    }
    return s.toString();
  }

  /** Whether the server closed the connection: the next read ends the stream (a hang is a failure by the socket's timeout). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
      return true; // a reset after close is a close too
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

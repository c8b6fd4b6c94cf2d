package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The quick path's GET: HTTP/1.1 over one plain socket per request, closed after the answer. The
 * JDK's {@code HttpClient} starts a selector thread and sets up far more classes, and
 * {@code HttpURLConnection} looks for URL handlers on the class path, which opens the 50 MB jar
 * the start-up cache otherwise spares: each was a sixth of a quick command's time. Its failures
 * are told as {@link ApiClient} tells them: the exceptions whose words {@link ApiFailover} prints
 * are made those {@code HttpClient} throws, and any other is an {@link Unsure}, on which the
 * command goes the long way and says what {@code HttpClient} says.
 */
final class QuickHttp {
  static final int CONNECT_TIMEOUT_MS = 3_000; // as ApiClient's
  static final int REQUEST_TIMEOUT_MS = 10_000;

  private final List<String> bases;
  private final String token;

  QuickHttp(List<String> bases, String token) {
    this.bases = bases;
    this.token = token;
  }

  /** A failure whose words this client cannot give as {@code HttpClient} would. */
  static final class Unsure extends RuntimeException {
    Unsure(String why) {
      super(why);
    }
  }

  /**
   * Whether the quick path may call {@code bases}: plain http:// with no user in the URL, and no proxy
   * set for the JVM (its sockets then go direct: the JDK's proxy selector is not set up). A loop, not
   * a stream: the first stream of a JVM sets up the stream library and a reflective call (~2 ms here).
   */
  static boolean suits(List<String> bases) {
    for (String property : List.of("http.proxyHost", "socksProxyHost", "java.net.useSystemProxies")) {
      if (System.getProperty(property) != null) return false;
    }
    for (String base : bases) {
      if (!base.startsWith("http://") || URI.create(base).getRawUserInfo() != null) return false;
    }
    return true;
  }

  /** The 2xx answer's JSON, from the first manager reached; any other answer or failure is one sentence. */
  JsonNode get(String path) {
    ApiFailover.Answer<Response> answer = ApiFailover.send(bases, "GET", base -> fetch(URI.create(base + path)));
    return ApiClient.answer(answer.base(), answer.response().status(), answer.response().body());
  }

  /** A status and its body. */
  record Response(int status, byte[] body) {}

  private Response fetch(URI uri) throws IOException {
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      try {
        socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
      } catch (ConnectException | UnknownHostException e) {
        throw new ConnectException(e.getMessage()); // HttpClient says an unknown host is a connection refused
      } catch (SocketTimeoutException e) {
        throw new HttpConnectTimeoutException("HTTP connect timed out");
      } catch (IOException e) {
        throw new Unsure(e.toString());
      }
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(REQUEST_TIMEOUT_MS);
      String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String request = "GET " + target + " HTTP/1.1\r\nHost: " + uri.getRawAuthority() + "\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n";
      try {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read(new BufferedInputStream(socket.getInputStream()));
      } catch (SocketTimeoutException e) {
        throw new HttpTimeoutException("request timed out");
      } catch (IOException | NumberFormatException e) {
        throw new Unsure(e.toString());
      }
    }
  }

  /** Reads one answer: its status line, headers, and a body of Content-Length bytes, in chunks, or up to the end. */
  static Response read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new Unsure("not an HTTP answer: " + status);
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new Unsure("not an HTTP status: " + status);
    }
    long length = -1;
    boolean chunked = false;
    for (String header; !(header = line(in)).isEmpty(); ) {
      int colon = header.indexOf(':');
      if (colon < 0) continue;
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) length = Long.parseLong(value);
      if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
    }
    if (code / 100 == 1) throw new Unsure("an interim answer: " + status); // never sent to a GET without Expect
    if (code == 204 || code == 304) return new Response(code, new byte[0]);
    if (chunked) return new Response(code, chunks(in));
    if (length >= 0) {
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) throw new Unsure("the answer ended after " + body.length + " of " + length + " bytes");
      return new Response(code, body);
    }
    return new Response(code, in.readAllBytes());
  }

  private static byte[] chunks(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) break;
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) throw new Unsure("the answer ended inside a chunk");
      body.write(chunk);
      line(in);
    }
    while (!line(in).isEmpty()) {
      // trailers: none that matter here
    }
    return body.toByteArray();
  }

  /** One line without its CRLF; the end of the stream where a line was due is an {@link Unsure}. */
  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) throw new Unsure("the answer ended early");
      if (b != '\r') s.append((char) b);
    }
    return s.toString();
  }
}

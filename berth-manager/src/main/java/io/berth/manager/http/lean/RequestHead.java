package io.berth.manager.http.lean;

import com.sun.net.httpserver.Headers;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A request's line and headers as read off the wire (RFC 9112), with the limits the server keeps:
 * the whole head in at most {@link #MAX_BYTES} (more is a 431), and anything malformed a 400.
 *
 * @param keepAlive whether the client lets the connection carry another request (HTTP/1.1 without
 *     {@code Connection: close}); HTTP/1.0 connections carry one request
 * @param bodyLength the body's length from {@code Content-Length}, {@link #CHUNKED}, or 0 for none
 */
record RequestHead(String method, URI uri, String protocol, Headers headers, boolean keepAlive, long bodyLength) {
  /** The largest head (request line and headers) read; the JDK's server takes about as much. */
  static final int MAX_BYTES = 16 * 1024;
  /** {@link #bodyLength} of a chunked body. */
  static final long CHUNKED = -1;

  /** Why a head could not be taken: its status (400 or 431) and a short sentence for the client. */
  static final class Invalid extends IOException {
    final int status;

    Invalid(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Whether the client asked for a {@code 100 Continue} before it sends the body. */
  boolean expectsContinue() {
    return "100-continue".equalsIgnoreCase(headers.getFirst("Expect"));
  }

  /**
   * Reads one head from {@code in}; null when the connection ends (or idles out: the caller's read
   * timeout) before its first byte, which is how a kept-alive connection normally ends.
   */
  static RequestHead read(InputStream in) throws IOException {
    int[] budget = {MAX_BYTES};
    String line = line(in, budget, true);
    while (line != null && line.isEmpty()) line = line(in, budget, false); // RFC 9112 2.2: ignore a leading empty line
    if (line == null) return null;
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !token(parts[0])) throw new Invalid(400, "malformed request line");
    String protocol = parts[2];
    if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0")) throw new Invalid(400, "unsupported protocol: " + printable(protocol));
    URI uri;
    try {
      uri = new URI(parts[1]);
    } catch (URISyntaxException e) {
      throw new Invalid(400, "malformed request target");
    }
    if (parts[1].isEmpty() || (!uri.isAbsolute() && !parts[1].startsWith("/") && !parts[1].equals("*"))) {
      throw new Invalid(400, "malformed request target");
    }
    Headers headers = new Headers();
    for (String h = line(in, budget, false); !h.isEmpty(); h = line(in, budget, false)) {
      int colon = h.indexOf(':');
      if (colon <= 0 || !token(h.substring(0, colon))) throw new Invalid(400, "malformed header line");
      headers.add(h.substring(0, colon), h.substring(colon + 1).strip());
    }
    return new RequestHead(parts[0], uri, protocol, headers, keepAlive(protocol, headers), bodyLength(headers));
  }

  private static boolean keepAlive(String protocol, Headers headers) {
    if (protocol.equals("HTTP/1.0")) return false;
    for (String v : headers.getOrDefault("Connection", java.util.List.of())) {
      for (String option : v.split(",")) if (option.strip().equalsIgnoreCase("close")) return false;
    }
    return true;
  }

  private static long bodyLength(Headers headers) throws Invalid {
    var te = headers.get("Transfer-Encoding");
    var cl = headers.get("Content-Length");
    if (te != null) {
      // Both is how request smuggling starts (RFC 9112 6.3): refused rather than guessed.
      if (cl != null) throw new Invalid(400, "both Transfer-Encoding and Content-Length");
      if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) throw new Invalid(400, "unsupported Transfer-Encoding (only chunked)");
      return CHUNKED;
    }
    if (cl == null) return 0;
    long length = -1;
    for (String v : cl) {
      long n;
      try {
        n = v.isEmpty() || !v.chars().allMatch(Character::isDigit) ? -1 : Long.parseLong(v);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || (length >= 0 && n != length)) throw new Invalid(400, "malformed Content-Length");
      length = n;
    }
    return length;
  }

  /**
   * One line, without its CRLF (or bare LF), in ISO-8859-1 as HTTP's octets are; null at the end of
   * the stream before its first byte when {@code first}. Each byte counts against {@code budget}.
   */
  private static String line(InputStream in, int[] budget, boolean first) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        if (first && s.isEmpty()) return null;
        throw new EOFException("connection closed inside a request head");
      }
      if (--budget[0] < 0) throw new Invalid(431, "request head larger than " + (MAX_BYTES / 1024) + " KiB");
      if (b == '\n') {
        if (!s.isEmpty() && s.charAt(s.length() - 1) == '\r') s.setLength(s.length() - 1);
        return s.toString();
      }
      if (b == 0 || (b < ' ' && b != '\r' && b != '\t') || b == 127) throw new Invalid(400, "control character in request head");
      s.append((char) b);
      first = false;
    }
  }

  /** An RFC 9110 token: what methods and header names are made of. */
  private static boolean token(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) return false;
    }
    return true;
  }

  private static String printable(String s) {
    return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII).replaceAll("[^ -~]", "?");
  }
}

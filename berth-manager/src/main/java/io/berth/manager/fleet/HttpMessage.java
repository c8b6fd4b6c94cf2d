package io.berth.manager.fleet;

import io.berth.manager.http.lean.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 message head (request or response line plus headers) and the body framing rules,
 * read and written by hand: the Docker endpoint must be able to hand the raw connection over after
 * a {@code 101 UPGRADED}, which no server library here allows.
 */
public final class HttpMessage {
  private static final int MAX_HEAD = 64 * 1024;
  final String startLine;
  final List<String[]> headers;

  public HttpMessage(String startLine, List<String[]> headers) {
    this.startLine = startLine;
    this.headers = headers;
  }

  /** Reads a head, or returns null at a clean EOF before any byte. */
  public static HttpMessage read(InputStream in) throws IOException {
    String start = line(in);
    if (start == null) return null;
    while (start.isEmpty()) { // tolerate stray CRLF between messages
      start = line(in);
      if (start == null) return null;
    }
    List<String[]> headers = new ArrayList<>();
    int size = start.length();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      size += l.length();
      if (size > MAX_HEAD) throw new IOException("request head too large");
      int colon = l.indexOf(':');
      if (colon > 0) headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
    }
    return new HttpMessage(start, headers);
  }

  public String header(String name) {
    for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
    return null;
  }

  public HttpMessage withHeader(String name, String value) {
    List<String[]> out = new ArrayList<>();
    for (String[] h : headers) if (!h[0].equalsIgnoreCase(name)) out.add(h);
    if (value != null) out.add(new String[] {name, value});
    return new HttpMessage(startLine, out);
  }

  public boolean isChunked() {
    String te = header("Transfer-Encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  public long contentLength() {
    String cl = header("Content-Length");
    try {
      return cl == null ? -1 : Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** False for an answer that has no body whatever its headers say: {@code 1xx}, {@code 204} and {@code 304} (RFC 9112 6.3). */
  public boolean hasBody() {
    int status = status();
    return status >= 200 && status != 204 && status != 304;
  }

  /** True for {@code Connection: Upgrade} requests (Docker's hijack for attach and exec). */
  public boolean wantsUpgrade() {
    String c = header("Connection");
    return c != null && c.toLowerCase(Locale.ROOT).contains("upgrade");
  }

  public void write(OutputStream out) throws IOException {
    StringBuilder b = new StringBuilder(startLine).append("\r\n");
    for (String[] h : headers) b.append(h[0]).append(": ").append(h[1]).append("\r\n");
    b.append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads a request body: by Content-Length, de-chunked, or empty. */
  public byte[] readBody(InputStream in, int max) throws IOException {
    if (isChunked()) {
      byte[] body = ChunkedInput.lenient(in).readNBytes(max + 1);
      if (body.length > max) throw new IOException("request body too large");
      return body;
    }
    long n = contentLength();
    if (n <= 0) return new byte[0];
    if (n > max) throw new IOException("request body too large");
    return in.readNBytes((int) n);
  }

  /** One CRLF- (or LF-) terminated line in ISO-8859-1, or null at EOF. */
  static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') b.setLength(len - 1);
        return b.toString();
      }
      b.append((char) c);
      if (b.length() > MAX_HEAD) throw new IOException("header line too long");
    }
    return b.isEmpty() ? null : b.toString();
  }

  /** The first line: a request's or a response's. */
  public String startLine() {
    return startLine;
  }

  /** The headers as name, value pairs, in order. */
  public List<String[]> headers() {
    return headers;
  }

  /** This request with its target replaced (the headers kept): what a node gets for a client's request. */
  public HttpMessage retargeted(String target) {
    return new HttpMessage(method() + " " + target + " HTTP/1.1", headers);
  }

  /** Method of a request line. */
  public String method() {
    return startLine.substring(0, startLine.indexOf(' '));
  }

  /** Target (path and query) of a request line. */
  public String target() {
    int a = startLine.indexOf(' ');
    int b = startLine.lastIndexOf(' ');
    return b > a ? startLine.substring(a + 1, b) : startLine.substring(a + 1);
  }

  /** Status code of a response line. */
  public int status() {
    String[] parts = startLine.split(" ", 3);
    return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
  }
}

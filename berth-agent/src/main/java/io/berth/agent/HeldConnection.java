package io.berth.agent;

import io.berth.cluster.Refused;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One hollow node's HTTP/1.1 connection to the manager's cluster endpoint, held across its calls:
 * a heartbeat on it is a few hundred bytes each way, where a fresh connection costs a TLS handshake
 * (even resumed, ~84 ms against 0.16 ms under load; docs/benchmarks.md). A call that fails closes it,
 * and the next call opens a new one; a call on a kept connection that the manager had already
 * closed (it restarted, or the connection idled out) is tried once more on a new one.
 *
 * <p>A small client of its own rather than the JDK's {@code HttpClient}: that costs a selector
 * thread per instance, and thousands of hollow nodes each need their own certificate.
 */
final class HeldConnection implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 30_000;
  /** The largest answer read: the cluster calls a hollow node makes answer a few KB. */
  private static final int MAX_ANSWER = 1 << 20;
  private final String host;
  private final int port;
  private final SSLContext tls;
  private volatile SSLSocket socket; // volatile: close() may come from another thread, not waiting for a call
  private InputStream in;
  private volatile int opened; // written under the call lock, read by anyone

  /** @param manager the manager's cluster address (HOST:PORT) */
  HeldConnection(String manager, SSLContext tls) {
    int colon = manager.lastIndexOf(':');
    this.host = manager.substring(0, colon);
    this.port = Integer.parseInt(manager.substring(colon + 1));
    this.tls = tls;
  }

  /** How many connections this one has opened (the first, and one per reopening). */
  int opened() {
    return opened;
  }

  /** POSTs {@code body} as JSON and returns the answer's body; a non-2xx answer is a {@link Refused}. */
  synchronized byte[] post(String path, byte[] body) throws IOException {
    boolean reused = socket != null;
    try {
      return exchange(path, body);
    } catch (Refused e) {
      throw e;
    } catch (StaleConnection | SocketException e) {
      if (!reused) throw e;
      return exchange(path, body); // the manager closed a kept connection before this call: once more, on a new one
    }
  }

  private byte[] exchange(String path, byte[] body) throws IOException {
    try {
      SSLSocket s = socket != null ? socket : open();
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n";
      OutputStream out = s.getOutputStream();
      byte[] request = new byte[head.length() + body.length];
      System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
      System.arraycopy(body, 0, request, head.length(), body.length);
      out.write(request); // one write, one TLS record
      out.flush();
      String status = line(true);
      return answer(status);
    } catch (Refused e) {
      throw e; // an answer, read whole: the connection carries on
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private byte[] answer(String status) throws IOException {
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
    int code = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = parts[0].equals("HTTP/1.0");
    for (String h = line(false); !h.isEmpty(); h = line(false)) {
      int colon = h.indexOf(':');
      if (colon < 0) continue;
      String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> close |= value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    byte[] answer = code == 204 || code == 304 ? new byte[0] : chunked ? chunked() : length >= 0 ? counted(length) : untilClose();
    if (close || (length < 0 && !chunked && code != 204 && code != 304)) close();
    if (code / 100 != 2) throw new Refused(code, Refused.reason(answer).orElse("HTTP " + code));
    return answer;
  }

  private byte[] counted(long length) throws IOException {
    if (length > MAX_ANSWER) throw new IOException("answer of " + length + " bytes is larger than " + MAX_ANSWER);
    byte[] b = in.readNBytes((int) length);
    if (b.length < length) throw new EOFException("connection closed inside an answer");
    return b;
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (long n = Long.parseLong(line(false).split(";")[0].strip(), 16); n > 0; n = Long.parseLong(line(false).split(";")[0].strip(), 16)) {
      if (b.size() + n > MAX_ANSWER) throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
      b.write(counted(n));
      line(false);
    }
    while (!line(false).isEmpty()) {} // trailers
    return b.toByteArray();
  }

  private byte[] untilClose() throws IOException {
    byte[] b = in.readNBytes(MAX_ANSWER + 1);
    if (b.length > MAX_ANSWER) throw new IOException("answer larger than " + MAX_ANSWER + " bytes");
    return b;
  }

  /** A line without its CRLF; the status line's end of stream before a byte is a {@link StaleConnection}. */
  private String line(boolean status) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        if (status && s.isEmpty()) throw new StaleConnection();
        throw new EOFException("connection closed inside an answer");
      }
      if (s.length() > 8192) throw new IOException("answer line too long");
      if (c != '\r') s.append((char) c);
    }
    return s.toString();
  }

  private SSLSocket open() throws IOException {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
    try {
      s.setEnabledProtocols(new String[] {"TLSv1.3"});
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      s.setTcpNoDelay(true);
      in = new BufferedInputStream(s.getInputStream(), 2048);
      socket = s;
      opened++;
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Closes the connection now, ending a call in progress on it; the next call opens a new one. */
  @Override
  public void close() {
    SSLSocket s = socket;
    socket = null;
    if (s == null) return;
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a broken connection: nothing left to do
    }
  }

  /** The connection ended before an answer began: the manager had closed it. */
  private static final class StaleConnection extends EOFException {
    StaleConnection() {
      super("the manager closed the connection");
    }
  }
}

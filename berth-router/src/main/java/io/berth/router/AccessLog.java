package io.berth.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where nginx's access log goes: a UDP socket on loopback that nginx sends one syslog datagram per
 * request to ({@code access_log syslog:server=127.0.0.1:PORT}), read on a thread of its own into
 * a {@link TrafficWindow}. Chosen over a file the router tails: nothing on disk grows, so nothing
 * needs truncating or rotating, and no line is lost between a read and a truncate; chosen over a
 * unix syslog socket because nginx sends it datagrams, which the JDK's unix sockets cannot receive,
 * and because workers running as {@code nobody} may always send to loopback. A datagram the socket
 * buffer had no room for is lost, so the buffer is asked to be large.
 */
final class AccessLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  /** The log format's name and its fields: the config's own domain (never the client's Host), the status, seconds as 0.005. */
  static final String FORMAT_NAME = "berth_traffic";
  static final String FORMAT = "$server_name $status $request_time";
  static final String TAG = "berth";
  private static final int RECEIVE_BUFFER = 4 << 20;
  private final DatagramChannel channel;
  private final TrafficWindow window;
  private final Thread reader;
  private boolean warned; // the reader's own

  /** One parsed line. */
  record Line(String domain, int status, double millis) {}

  AccessLog(TrafficWindow window) {
    this.window = window;
    try {
      channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log's socket", e);
    }
    reader = Thread.ofVirtual().name("router-access-log").start(this::read);
  }

  /** The loopback port nginx sends its log lines to. */
  int port() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read() {
    ByteBuffer buf = ByteBuffer.allocate(2048);
    while (true) {
      buf.clear();
      try {
        channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("router-access-log-failed: {}", e.getMessage());
        return;
      }
      buf.flip();
      Line line = parse(StandardCharsets.US_ASCII.decode(buf).toString());
      if (line != null) {
        window.add(line.domain(), line.status(), line.millis());
      } else if (!warned) {
        warned = true; // once: a format nginx changed would otherwise log every request
        log.warn("router-access-log-unparsed: a line of nginx's access log did not parse; such lines are not counted");
      }
    }
  }

  /**
   * One syslog datagram of nginx, {@code <190>Dec  6 13:50:26 berth: app.test 200 0.005}: the
   * message after the tag, in {@link #FORMAT}. Null when it is not one.
   */
  static Line parse(String datagram) {
    int at = datagram.indexOf(" " + TAG + ": ");
    if (!datagram.startsWith("<") || at < 0) return null;
    String[] f = datagram.substring(at + TAG.length() + 3).strip().split(" ");
    if (f.length < 3 || f[0].isEmpty()) return null;
    try {
      int status = Integer.parseInt(f[1]);
      double seconds = Double.parseDouble(f[2]);
      if (status < 100 || status > 999 || !(seconds >= 0)) return null;
      return new Line(f[0], status, seconds * 1000);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
    reader.interrupt();
  }
}

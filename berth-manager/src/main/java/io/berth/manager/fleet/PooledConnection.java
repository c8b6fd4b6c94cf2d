package io.berth.manager.fleet;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * One connection to a node's engine (through its agent, or direct) that may carry several requests:
 * its buffered reader, which must outlive one exchange, and the check that an idle one is still fit
 * to carry a request that must never be sent twice.
 */
final class PooledConnection {
  /**
   * Idle longer than this, a connection is not used again. The agent relays to the engine, and neither
   * closes an idle connection today; this stays well below any keep-alive timeout a node or a proxy
   * in between might add, so a connection is never taken just as the other side gives it up.
   */
  static final Duration MAX_IDLE = Duration.ofSeconds(20);
  final Socket socket;
  final InputStream in;
  /** The TCP connection under TLS (the socket itself without TLS): read without blocking to probe it. */
  private final SocketChannel raw;
  private volatile long idleSinceNanos;

  PooledConnection(Socket socket, SocketChannel raw) throws IOException {
    this.socket = socket;
    this.raw = raw;
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** The TCP connection under TLS (the socket itself without TLS). */
  SocketChannel tcp() {
    return raw;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  /** Notes that the connection went idle, its last answer read whole. */
  void idleFrom(long nowNanos) {
    idleSinceNanos = nowNanos;
  }

  /**
   * Whether an idle connection can carry a request now: open, idle for less than {@link #MAX_IDLE}, and
   * nothing come from the node since its last answer, neither an EOF nor a byte (a TLS close_notify, a
   * stray answer). The probe reads the raw TCP channel without blocking, under TLS: one system call, no wait.
   * A connection found unfit is spent; the caller closes it.
   *
   * <p>Under TLS 1.3 the node's session tickets come after the handshake, and TLS reads them with the first
   * answer. A connection made ahead of need (NodeLink's warm one) has them waiting, unread, when it is first
   * taken. So bytes waiting under TLS are first given to TLS to read ({@link #readTlsRecords}): tickets are
   * taken in, and the connection is fit; a close_notify or answer bytes make it unfit, as before.
   */
  boolean fit(long nowNanos) {
    if (socket.isClosed() || nowNanos - idleSinceNanos > MAX_IDLE.toNanos()) return false;
    try {
      if (in.available() > 0) return false;
      if (socket instanceof SSLSocket && raw.socket().getInputStream().available() > 0 && !readTlsRecords()) return false;
      synchronized (raw.blockingLock()) {
        raw.configureBlocking(false);
        try {
          return raw.read(ByteBuffer.allocate(1)) == 0;
        } finally {
          raw.configureBlocking(true);
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Lets TLS read what waits on the connection, for at most a millisecond more: true when that was TLS's own
   * (session tickets) and no answer bytes or end came with it. The bytes were counted without reading them
   * (FIONREAD), so none is taken from under TLS.
   */
  private boolean readTlsRecords() throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(1);
    try {
      in.read(); // returned: the node's close_notify (-1), or an answer no request asked for; the connection is spent
      return false;
    } catch (SocketTimeoutException e) {
      return true; // TLS took in its records and waits for more: nothing for the connection's user came
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

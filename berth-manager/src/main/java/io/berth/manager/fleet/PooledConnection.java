package io.berth.manager.fleet;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

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
   */
  boolean fit(long nowNanos) {
    if (socket.isClosed() || nowNanos - idleSinceNanos > MAX_IDLE.toNanos()) return false;
    try {
      if (in.available() > 0) return false;
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

  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

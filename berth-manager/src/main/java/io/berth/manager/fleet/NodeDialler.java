package io.berth.manager.fleet;

import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.manager.http.lean.FileRoom;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Makes {@link NodeLink}'s connections: TCP with no Nagle delay, then TLS where the node asks for it. A dial that finds
 * the process out of file descriptors has idle connections closed to make room ({@link FileRoom}) and tries once more.
 */
final class NodeDialler {
  /** Idle connections closed (through {@link FileRoom}) for a dial that found no file descriptor left. */
  private static final int ROOM_FOR_A_DIAL = 4;
  private final SSLContext tls;
  /** For engines reached directly: TLS with the manager's --tlscert, or null for plain TCP. */
  private final SSLContext engineTls;

  NodeDialler(SSLContext tls, SSLContext engineTls) {
    this.tls = tls;
    this.engineTls = engineTls;
  }

  /**
   * Connects to the node's agent (mutual TLS 1.3) or to its engine itself, the TCP connection made as a channel and
   * TLS layered over it, so that an idle connection can be probed on the channel without reading through TLS
   * ({@link PooledConnection#fit}).
   */
  PooledConnection dial(Node node) {
    try {
      return dialOnce(node);
    } catch (OutOfFiles e) {
      // Idle connections, ours first, then agents' held ones, are closed to make room (FileRoom); then once more.
      if (FileRoom.PROCESS.make(ROOM_FOR_A_DIAL) == 0) throw e.unreachable;
      try {
        return dialOnce(node);
      } catch (OutOfFiles again) {
        throw again.unreachable;
      }
    }
  }

  /** A dial that failed for want of a file descriptor, with the error it would be without a second try. */
  private static final class OutOfFiles extends RuntimeException {
    final BerthException.Unavailable unreachable;

    OutOfFiles(BerthException.Unavailable unreachable) {
      super(unreachable.getMessage(), null, false, false);
      this.unreachable = unreachable;
    }
  }

  private PooledConnection dialOnce(Node node) {
    boolean direct = node.access() == NodeAccess.ENGINE;
    SSLContext ctx = direct ? engineTls : tls;
    SocketChannel raw = null;
    try {
      raw = SocketChannel.open();
      Socket s = raw.socket();
      s.setTcpNoDelay(true); // a request head and body are separate small writes: no Nagle delay
      s.connect(new InetSocketAddress(node.host(), port(node)), 3000);
      if (ctx != null) {
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(s, node.host(), port(node), true);
        if (!direct) ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        ssl.setSoTimeout(30_000);
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        s = ssl;
      }
      return new PooledConnection(s, raw);
    } catch (IOException e) {
      if (raw != null) {
        try {
          raw.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      BerthException.Unavailable unreachable =
          new BerthException.Unavailable("node " + node.name() + " (" + node.address() + ") is unreachable: " + e.getMessage());
      if (FileRoom.outOfFiles(e)) throw new OutOfFiles(unreachable);
      throw unreachable;
    }
  }

  private static int port(Node node) {
    return Integer.parseInt(node.address().substring(node.address().lastIndexOf(':') + 1));
  }
}

package io.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A manager's way to its etcd members, which a test can cut: it accepts on a loopback port and
 * relays each connection to the first member that takes it. {@link #cut()} closes every relayed
 * connection and refuses new ones, as a network partition between that manager and etcd would;
 * {@link #mend()} lets connections through again.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final List<InetSocketAddress> targets;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  TcpRelay(List<InetSocketAddress> targets) throws IOException {
    this.targets = List.copyOf(targets);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("relay-" + server.getLocalPort()).start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Cuts every connection and refuses new ones until {@link #mend()}. */
  void cut() {
    cut = true;
    for (Socket s : open) close(s);
  }

  void mend() {
    cut = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (cut) {
          client.close();
          continue;
        }
        Thread.ofVirtual().start(() -> relay(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket client) {
    Socket upstream = connect();
    if (upstream == null) {
      close(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    Thread.ofVirtual().start(() -> copy(upstream, client));
    copy(client, upstream);
  }

  private Socket connect() {
    for (InetSocketAddress t : targets) {
      Socket s = new Socket();
      try {
        s.connect(t, 500);
        s.setTcpNoDelay(true);
        return s;
      } catch (IOException e) {
        close(s);
      }
    }
    return null;
  }

  private void copy(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went: both go
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}

package io.berth.agent;

import io.berth.cluster.Peers;
import io.berth.cluster.Relay;
import io.berth.cluster.Role;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the local engine to managers: a mutual-TLS listener that, once the peer proves it is a
 * manager of this cluster, relays raw bytes to and from the engine's socket. Relaying bytes rather
 * than parsing HTTP is what makes every Docker request work through it, streamed and hijacked ones
 * included ({@code 101 UPGRADED}, attach, exec): each direction is copied until EOF and then
 * half-closed on the other side, so {@code echo hi | docker exec -i c cat} ends.
 */
final class EngineProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineProxy.class);
  private final SSLServerSocket server;
  private final Backend backend;
  private final Thread acceptor;

  /** What answers a manager's connection once it is authenticated: the engine, or a hollow engine in memory. */
  interface Backend {
    void serve(SSLSocket manager) throws IOException, InterruptedException;
  }

  private EngineProxy(SSLServerSocket server, Backend backend) {
    this.server = server;
    this.backend = backend;
    this.acceptor = Thread.ofVirtual().name("engine-proxy").start(this::accept);
  }

  static EngineProxy start(InetSocketAddress listen, SSLContext tls, String engineUrl) {
    return start(listen, tls, client -> relay(client, engineUrl));
  }

  static EngineProxy start(InetSocketAddress listen, SSLContext tls, Backend backend) {
    try {
      SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      s.setReuseAddress(true);
      s.bind(listen, 128);
      s.setEnabledProtocols(new String[] {"TLSv1.3"});
      s.setNeedClientAuth(true);
      return new EngineProxy(s, backend);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for managers on " + listen.getHostString() + ":" + listen.getPort()
          + ": " + (e instanceof BindException ? "the address is in use or not on this machine" : e.getMessage()), e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        client.setTcpNoDelay(true); // relayed frames are often small (exec, attach): no Nagle delay
        Thread.ofVirtual().name("engine-proxy-conn").start(() -> serve(client));
      } catch (IOException e) {
        if (!server.isClosed()) log.warn("engine-proxy-accept-failed: {}", e.getMessage());
      }
    }
  }

  private void serve(SSLSocket client) {
    try (client) {
      client.startHandshake();
      Optional<Peers.Peer> peer = Peers.of(client.getSession());
      if (peer.isEmpty() || peer.get().role() != Role.MANAGER) {
        log.warn("engine-proxy-refused peer={} from={}", peer.map(Peers.Peer::name).orElse("?"), client.getRemoteSocketAddress());
        return;
      }
      backend.serve(client);
    } catch (IOException e) {
      log.debug("engine-proxy-connection-ended: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The real engine's backend: bytes relayed both ways, each direction half-closed after its EOF. */
  private static void relay(SSLSocket client, String engineUrl) throws IOException, InterruptedException {
    try (EngineConnection engine = EngineConnection.open(engineUrl)) {
      InputStream fromManager = client.getInputStream();
      Thread up = Thread.ofVirtual().name("engine-proxy-up")
          .start(() -> Relay.copyThenHalfClose(fromManager, engine.out(), engine::shutdownOutput));
      Relay.copyThenHalfClose(engine.in(), client.getOutputStream(), client::shutdownOutput);
      up.join();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    acceptor.interrupt();
  }
}

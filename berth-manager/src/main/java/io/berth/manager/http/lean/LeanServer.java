package io.berth.manager.http.lean;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1-over-TLS server for the agents' cluster endpoint: a blocking {@link SSLServerSocket}
 * (TLS 1.3 only, asking but not requiring a client certificate), one virtual thread per connection,
 * connections kept alive until the client closes them or stays silent for {@link #idleTimeout}, and
 * no cap on how many are held. Each request goes to one {@link HttpHandler} as an
 * {@code HttpsExchange}, so the JDK server's handlers ({@code Routes}) run unchanged.
 *
 * <p>Why not the JDK's {@code HttpsServer}: it keeps at most 200 idle connections, and each one
 * holds ~75 KB of buffers from its accept on; an agent's held heartbeat connection here costs a
 * fraction of that (docs/benchmarks.md, "Managers for many nodes").
 */
public final class LeanServer {
  private static final Logger log = LoggerFactory.getLogger(LeanServer.class);
  /** How long a connection may stay silent between requests: longer than any agent's heartbeat interval. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Connections the kernel queues before they are accepted: thousands of agents may (re)connect at once. */
  private static final int BACKLOG = 1024;
  private final SSLServerSocket listener;
  private final HttpHandler handler;
  private final Duration idleTimeout;
  private final Set<LeanConnection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean stopping;

  private LeanServer(SSLServerSocket listener, HttpHandler handler, Duration idleTimeout) {
    this.listener = listener;
    this.handler = handler;
    this.idleTimeout = idleTimeout;
    this.acceptor = Thread.ofVirtual().name("lean-accept-" + listener.getLocalPort()).unstarted(this::accept);
  }

  /** Listens on {@code addr} and serves {@code handler} with the default idle timeout. */
  public static LeanServer start(InetSocketAddress addr, SSLContext tls, HttpHandler handler) throws IOException {
    return start(addr, tls, handler, IDLE_TIMEOUT);
  }

  /** Listens on {@code addr} and serves {@code handler}; a connection silent for {@code idleTimeout} is closed. */
  public static LeanServer start(InetSocketAddress addr, SSLContext tls, HttpHandler handler, Duration idleTimeout) throws IOException {
    SSLServerSocket listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
    try {
      SSLParameters p = tls.getDefaultSSLParameters();
      p.setProtocols(new String[] {"TLSv1.3"});
      p.setWantClientAuth(true);
      listener.setSSLParameters(p);
      listener.setReuseAddress(true);
      listener.bind(addr, BACKLOG);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    LeanServer server = new LeanServer(listener, handler, idleTimeout);
    server.acceptor.start();
    return server;
  }

  /** The address it listens on (its real port when started with port 0). */
  public InetSocketAddress getAddress() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  Duration idleTimeout() {
    return idleTimeout;
  }

  boolean stopping() {
    return stopping;
  }

  /** How many connections are open now (tests, and a sanity check on what the server holds). */
  public int connections() {
    return connections.size();
  }

  /** Connections accepted since the start: beside {@link #requests}, how well clients keep theirs. */
  public long accepted() {
    return accepted.get();
  }

  /** Requests read since the start, on all connections. */
  public long requests() {
    return requests.get();
  }

  void requested() {
    requests.incrementAndGet();
  }

  private void accept() {
    while (!stopping) {
      SSLSocket socket;
      try {
        socket = (SSLSocket) listener.accept();
      } catch (SocketException e) {
        if (!stopping) log.error("lean-accept-stopped {}: {}", getAddress(), e.toString());
        return;
      } catch (IOException e) {
        log.warn("lean-accept-failed {}: {}", getAddress(), e.toString());
        continue;
      }
      accepted.incrementAndGet();
      LeanConnection c = new LeanConnection(this, socket, handler);
      connections.add(c);
      if (stopping) {
        c.close();
        connections.remove(c);
        return;
      }
      Thread.ofVirtual().name("lean-conn").start(c);
    }
  }

  void ended(LeanConnection c) {
    connections.remove(c);
  }

  /**
   * Stops as the JDK's {@code HttpServer.stop} does: no new connections at once, idle ones closed,
   * exchanges in progress given up to {@code delaySeconds} to finish (their responses say
   * {@code Connection: close}), then every connection closed.
   */
  public void stop(int delaySeconds) {
    stopping = true;
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("lean-listener-close-failed {}: {}", getAddress(), e.toString());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(0, delaySeconds)).toNanos();
    do {
      for (LeanConnection c : connections) if (!c.busy()) c.close();
      if (connections.isEmpty() || System.nanoTime() >= deadline) break;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (true);
    for (LeanConnection c : connections) c.close();
    try {
      acceptor.join(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

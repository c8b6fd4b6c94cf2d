package io.berth.manager.http.lean;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * no cap on how many are held but the process's file limit: when an accept finds it reached, the
 * connections idle longest are closed to make room ({@link #shedIdle}). Each request goes to one
 * {@link HttpHandler} as an {@code HttpsExchange}, so the JDK server's handlers ({@code Routes}) run
 * unchanged.
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
  /** Only connections idle this long are closed to make room: not one whose client is about to use it. */
  static final Duration SHED_MIN_IDLE = Duration.ofSeconds(2);
  private final SSLServerSocket listener;
  private final HttpHandler handler;
  private final Duration idleTimeout;
  private final Set<LeanConnection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final Runnable leaveRoom;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean stopping;

  private LeanServer(SSLServerSocket listener, HttpHandler handler, Duration idleTimeout) {
    this.listener = listener;
    this.handler = handler;
    this.idleTimeout = idleTimeout;
    this.acceptor = Thread.ofVirtual().name("lean-accept-" + listener.getLocalPort()).unstarted(this::accept);
    this.leaveRoom = FileRoom.PROCESS.add(FileRoom.SERVERS, max -> shedIdle(max, SHED_MIN_IDLE.toNanos()));
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
    AcceptFailures failures = new AcceptFailures();
    while (!stopping) {
      SSLSocket socket;
      try {
        socket = (SSLSocket) listener.accept();
      } catch (SocketException e) {
        if (!stopping) log.error("lean-accept-stopped {}: {}", getAddress(), e.toString());
        return;
      } catch (IOException e) {
        // Out of file descriptors, the connection waits in the kernel's queue: make room (FileRoom), pause, try again.
        failures.handle(e, m -> log.warn("lean-accept-failed {}: {}", getAddress(), m));
        continue;
      }
      failures.accepted();
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

  /**
   * Closes up to {@code max} connections that wait for their client's next request and have waited at least
   * {@code minIdleNanos}, those waiting longest first; returns how many. As nginx reuses its keep-alive
   * connections when it runs out: a client whose held connection is closed opens a new one for its next
   * call (its TLS session resumed), where a server that cannot accept leaves every new client waiting,
   * agents' heartbeats among them, until their nodes are judged down.
   */
  int shedIdle(int max, long minIdleNanos) {
    long now = System.nanoTime();
    record Idle(LeanConnection c, long since) {} // the time read once: a connection used meanwhile must not move in the sort
    List<Idle> idle = new ArrayList<>();
    for (LeanConnection c : connections) {
      long since = c.idleSinceNanos();
      if (!c.busy() && now - since >= minIdleNanos) idle.add(new Idle(c, since));
    }
    idle.sort(Comparator.comparingLong(Idle::since));
    int closed = 0;
    for (Idle i : idle) {
      if (closed == max) break;
      if (i.c().busy() || i.c().idleSinceNanos() != i.since()) continue; // used meanwhile: let it be
      i.c().close();
      connections.remove(i.c());
      closed++;
    }
    return closed;
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
    leaveRoom.run();
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

package io.berth.router;

import io.berth.cluster.Refused;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router: long-polls its group's route table from the manager and drives nginx to serve it,
 * reporting what nginx serves.
 *
 * <p>Invariants: nginx only ever reloads to a config {@code nginx -t} accepted, and is never
 * restarted for a config change (a reload keeps connections); the status names an instance only
 * once live workers route to it, and stops naming it only once they no longer do; while the
 * manager cannot be reached nginx keeps serving the last table it got.
 */
public final class Router implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final long MAX_BACKOFF_MS = 2000;
  private final RouterConfig config;
  private final Clock clock;
  private final String id;
  private final String listen;
  private final int listenPort;
  private final Nginx nginx;
  private final NginxConfig renderer;
  private final String version;
  private final ManagerLink manager;
  private final BlockingQueue<Boolean> changed = new ArrayBlockingQueue<>(1);
  private final Thread poller;
  private final Thread reporter;
  private volatile boolean running = true;
  private volatile boolean configOk = true;
  private volatile String error = "";
  private volatile RouteTable received;
  private long generation;

  private Router(RouterConfig config, Clock clock, int listenPort, int statusPort) {
    this.config = config;
    this.clock = clock;
    this.listenPort = listenPort;
    this.listen = hostPort(config.listenHost(), listenPort);
    this.id = config.id() != null ? config.id() : RouterConfig.defaultId(config.group(), listenPort);
    this.nginx = new Nginx(config.nginx(), config.dataDir(), statusPort);
    this.version = nginx.version();
    this.renderer = new NginxConfig(config.dataDir(), config.listenHost(), listenPort, statusPort, config.workerProcesses());
    this.manager = new ManagerLink(config.manager(), config.token());
    this.poller = Thread.ofVirtual().name("router-routes").unstarted(this::poll);
    this.reporter = Thread.ofVirtual().name("router-status").unstarted(this::report);
  }

  /**
   * Starts nginx at once with no routes (every host gets the 404 answer), so the port answers
   * before the first table arrives; then follows the manager. Fails with nginx's words when nginx
   * is missing or cannot listen.
   */
  public static Router start(RouterConfig config, Clock clock) {
    int listenPort = config.listenPort() == 0 ? freePort() : config.listenPort();
    int statusPort = config.statusPort();
    while (statusPort == 0 || statusPort == listenPort) statusPort = freePort();
    Router r = new Router(config, clock, listenPort, statusPort);
    try {
      r.nginx.start(r.renderer.render(new RouteTable(config.group(), 0, List.of()), 0));
    } catch (RuntimeException e) {
      r.manager.close();
      throw e;
    }
    log.info("router-nginx-started id={} group={} listen={} status=127.0.0.1:{} nginx={} dir={}", r.id, config.group(), r.listen,
        statusPort, r.version, config.dataDir());
    r.poller.start();
    r.reporter.start();
    return r;
  }

  public String id() {
    return id;
  }

  public String nginxVersion() {
    return version;
  }

  /** Where apps are served, {@code IP:PORT}. */
  public String listen() {
    return listen;
  }

  public int listenPort() {
    return listenPort;
  }

  /** What this router reports now: the live config's revision and instances, and the newest table's verdict. */
  public RouterStatus status() {
    NginxConfig.Rendered live = nginx.live();
    return new RouterStatus(id, config.group(), listen, live.revision(), configOk, error, live.instances(), clock.instant());
  }

  private void poll() {
    long backoff = 100;
    String unreachable = null;
    long since = 0;
    while (running) {
      long after = received == null ? 0 : received.revision();
      long asked = System.nanoTime();
      try {
        RouteTable table = manager.routes(config.group(), after, config.pollWait());
        if (unreachable != null) {
          log.info("router-manager-back manager={} after={}s", config.manager(), (System.nanoTime() - since) / 1_000_000_000);
          unreachable = null;
        }
        backoff = 100;
        boolean same = table.equals(received);
        boolean settled = same || apply(table);
        changed.offer(true); // an answer, even the same table, is followed by a status
        if (!settled && !pause(1000)) return; // nginx itself failed: the same table is tried again
        if (same && System.nanoTime() - asked < 200_000_000L && !pause(200)) return; // a manager that does not hold polls is not polled in a loop
      } catch (IOException | RuntimeException e) {
        if (!running) return;
        if (unreachable == null) {
          unreachable = describe(e);
          since = System.nanoTime();
          log.warn("router-manager-unreachable manager={}: {} (nginx keeps serving revision {}; retrying)", config.manager(),
              unreachable, nginx.live().revision());
        }
        if (!pause(backoff)) return;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Renders, checks with {@code nginx -t}, reloads and waits until the new workers serve it. False
   * when nginx failed (not the config): the table is then not taken as received, to be tried again.
   */
  private boolean apply(RouteTable table) {
    long t0 = System.nanoTime();
    NginxConfig.Rendered next = renderer.render(table, ++generation);
    try {
      Optional<String> refused = nginx.test(next.text());
      if (refused.isPresent()) {
        received = table;
        reject(table, refused.get());
        return true;
      }
      nginx.reload(next);
    } catch (NginxException e) {
      reject(table, e.getMessage());
      return false;
    }
    received = table;
    for (String e : next.errors()) log.warn("router-route-skipped group={} revision={}: {}", table.group(), table.revision(), e);
    configOk = true;
    error = next.errors().isEmpty() ? "" : "left out: " + String.join("; ", next.errors());
    log.info("router-config-applied group={} revision={} domains={} upstreams={} ms={}", table.group(), table.revision(),
        next.domains(), next.upstreams(), (System.nanoTime() - t0) / 1_000_000);
    return true;
  }

  private void reject(RouteTable table, String why) {
    if (!running) return; // closing interrupted the reload
    boolean again = !configOk && why.equals(error);
    configOk = false;
    error = why;
    if (!again) {
      log.warn("router-config-rejected group={} revision={} error={} (serving revision {})", table.group(), table.revision(),
          why, nginx.live().revision());
    }
  }

  /** Posts the status after each change, and every heartbeat; the poller logs an unreachable manager. */
  private void report() {
    String refused = null;
    while (running) {
      try {
        changed.poll(config.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        manager.report(status());
        if (refused != null) log.info("router-status-accepted id={}", id);
        refused = null;
      } catch (Refused e) {
        if (refused == null) log.warn("router-status-refused id={}: {} (retrying)", id, e.getMessage());
        refused = e.getMessage();
      } catch (IOException | RuntimeException e) {
        // the poller says the manager is unreachable, once
      }
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  static String describe(Exception e) {
    if (e instanceof java.net.ConnectException) return "connection refused";
    if (e instanceof java.net.http.HttpTimeoutException) return "no answer in time";
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new NginxException("cannot find a free port: " + e.getMessage());
    }
  }

  /** Stops polling and reporting, then nginx (gracefully: in-flight requests finish). */
  @Override
  public void close() {
    running = false;
    poller.interrupt();
    reporter.interrupt();
    manager.close();
    try {
      poller.join(Duration.ofSeconds(2));
      reporter.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nginx.close();
  }
}

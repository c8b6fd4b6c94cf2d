package io.berth.router;

import io.berth.cluster.BerthVersion;
import io.berth.cluster.Refused;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router: long-polls its group's route table from the manager and drives nginx to serve it,
 * reporting what nginx serves. Three {@link ReconcileLoop}s: one polls (backing off while the
 * manager cannot be reached), one posts the status after every answer and every heartbeat, and one
 * posts every {@link #TRAFFIC_WINDOW} what nginx's access log ({@link AccessLog}) counted
 * ({@link TrafficReporter}).
 *
 * <p>Invariants: nginx only ever reloads to a config {@code nginx -t} accepted, and is never
 * restarted for a config change (a reload keeps connections); the status names an instance only
 * once live workers route to it, and stops naming it only once they no longer do; while the
 * manager cannot be reached nginx keeps serving the last table it got. Given several managers, a
 * call that cannot reach one moves the {@link ManagerLink} to the next, and the poll resumes there
 * from the revision nginx serves.
 */
public final class Router implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /** How long one window of traffic numbers is; the manager takes a router's last window within 30 s. */
  static final Duration TRAFFIC_WINDOW = Duration.ofSeconds(5);
  private final RouterConfig config;
  private final Clock clock;
  private final String id;
  private final String listen;
  private final int listenPort;
  private final Nginx nginx;
  private final NginxConfig renderer;
  private final String version;
  private final ManagerLink manager;
  private final ReconcileLoop poller;
  private final ReconcileLoop reporter;
  private final TrafficWindow traffic;
  private final AccessLog accessLog;
  private final ReconcileLoop trafficLoop;
  private volatile boolean running = true;
  private volatile boolean configOk = true;
  private volatile String error = "";
  private volatile RouteTable received;
  /**
   * The newest table whose routes nginx serves, reported as applied: a later table with the same
   * routes (the store's revision moves with every write, so a poll that times out answers a new
   * revision) takes its place without a reload, since nginx serves exactly it.
   */
  private volatile RouteTable served;
  private volatile String servedError = "";
  private long generation;
  /** How many tables nginx was reloaded to (tests). */
  private volatile int applied;
  /** Whether, and since when, the manager does not answer the poller, and which it asked last; the poller's own. */
  private boolean unreachable;
  private String asking;
  private long unreachableSince;
  /** Why the manager refused the last status, or null; the reporter's own. */
  private String refused;

  private Router(RouterConfig config, Clock clock, int listenPort, int statusPort, Duration trafficWindow) {
    this.config = config;
    this.clock = clock;
    this.listenPort = listenPort;
    this.listen = hostPort(config.listenHost(), listenPort);
    this.id = config.id() != null ? config.id() : RouterConfig.defaultId(config.group(), listenPort);
    this.nginx = new Nginx(config.nginx(), config.dataDir(), statusPort);
    this.version = nginx.version();
    this.traffic = new TrafficWindow(clock.millis());
    this.accessLog = new AccessLog(traffic);
    this.renderer = new NginxConfig(config.dataDir(), config.listenHost(), listenPort, statusPort, config.workerProcesses(),
        accessLog.port());
    this.manager = new ManagerLink(config.managers(), config.token());
    this.poller = ReconcileLoop.named("router-routes").backoff(FIRST_BACKOFF, MAX_BACKOFF).onFailure(this::unreachable)
        .buildPaced(this::poll);
    this.reporter = ReconcileLoop.named("router-status").every(config.heartbeat()).build(this::report);
    TrafficReporter numbers = new TrafficReporter(id, config.group(), traffic, manager, clock);
    this.trafficLoop = ReconcileLoop.named("router-traffic").every(trafficWindow).build(numbers::report);
  }

  /**
   * Starts nginx at once with no routes (every host gets the 404 answer), so the port answers
   * before the first table arrives; then follows the manager. Fails with nginx's words when nginx
   * is missing or cannot listen.
   */
  public static Router start(RouterConfig config, Clock clock) {
    return start(config, clock, TRAFFIC_WINDOW);
  }

  /** As above, with traffic windows of {@code trafficWindow} (tests). */
  static Router start(RouterConfig config, Clock clock, Duration trafficWindow) {
    int listenPort = config.listenPort() == 0 ? freePort() : config.listenPort();
    int statusPort = config.statusPort();
    while (statusPort == 0 || statusPort == listenPort) statusPort = freePort();
    Router r = new Router(config, clock, listenPort, statusPort, trafficWindow);
    try {
      RouteTable empty = new RouteTable(config.group(), 0, List.of());
      r.nginx.start(r.renderer.render(empty, 0));
      r.served = empty;
    } catch (RuntimeException e) {
      r.manager.close();
      r.accessLog.close();
      throw e;
    }
    log.info("router-nginx-started id={} group={} listen={} status=127.0.0.1:{} nginx={} dir={}", r.id, config.group(), r.listen,
        statusPort, r.version, config.dataDir());
    r.poller.signal(); // the first poll at once; the first status after the first answer or heartbeat
    r.poller.start();
    r.reporter.start();
    r.trafficLoop.start();
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
    return new RouterStatus(id, config.group(), listen, served.revision(), configOk, error, live.instances(), clock.instant(),
        BerthVersion.running());
  }

  /** One long poll; returns how soon to ask again. A failure is the loop's to back off from. */
  private Duration poll() throws IOException {
    long after = received == null ? 0 : received.revision();
    long asked = System.nanoTime();
    asking = manager.current(); // a failed call may move the link on: the log names the one that failed
    RouteTable table = manager.routes(config.group(), after, config.pollWait());
    if (unreachable) {
      log.info("router-manager-back manager={} after={}s", manager.current(), (System.nanoTime() - unreachableSince) / 1_000_000_000);
      unreachable = false;
    }
    boolean same = table.equals(received);
    boolean settled = same || served(table) || apply(table);
    reporter.signal(); // an answer, even the same table, is followed by a status
    if (!settled) return Duration.ofSeconds(1); // nginx itself failed: the same table is tried again
    if (same && System.nanoTime() - asked < 200_000_000L) return Duration.ofMillis(200); // a manager that does not hold polls is not polled in a loop
    return Duration.ZERO;
  }

  /** Takes {@code table} as received when nginx serves its routes already: no render, no {@code nginx -t}, no reload. */
  private boolean served(RouteTable table) {
    RouteTable live = served;
    if (live == null || !live.group().equals(table.group()) || !live.domains().equals(table.domains())) return false;
    received = table;
    served = table;
    configOk = true; // a table refused meanwhile is not the newest any more
    error = servedError;
    return true;
  }

  /** The first failed poll of a streak; the poller logs the manager's return. */
  private void unreachable(Exception e) {
    if (!running) return; // closing cut the poll short
    unreachable = true;
    unreachableSince = System.nanoTime();
    log.warn("router-manager-unreachable manager={}: {} (nginx keeps serving revision {}; retrying)", asking,
        describe(e), served.revision());
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
    traffic.serving(next.names());
    for (String e : next.errors()) log.warn("router-route-skipped group={} revision={}: {}", table.group(), table.revision(), e);
    configOk = true;
    error = next.errors().isEmpty() ? "" : "left out: " + String.join("; ", next.errors());
    servedError = error;
    served = table;
    applied++;
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
          why, served.revision());
    }
  }

  /** How many tables nginx has been reloaded to since it started (tests). */
  int reloads() {
    return applied;
  }

  /** Posts the status (after each answer, and every heartbeat); the poller logs an unreachable manager. */
  private void report() {
    try {
      manager.report(status());
      if (refused != null) log.info("router-status-accepted id={}", id);
      refused = null;
    } catch (Refused e) {
      if (refused == null) log.warn("router-status-refused id={}: {} (retrying)", id, e.getMessage());
      refused = e.getMessage();
    } catch (IOException | RuntimeException e) {
      // the poller says the manager is unreachable, once; the link moved on if another is known; the next heartbeat tries again
    }
  }

  static String describe(Exception e) {
    if (e instanceof ConnectException) return "connection refused";
    if (e instanceof HttpTimeoutException) return "no answer in time";
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
    manager.close(); // ends a long poll in flight at once
    poller.stop();
    reporter.stop();
    trafficLoop.stop();
    nginx.close();
    accessLog.close(); // after nginx: the last requests' lines have nowhere else to go
  }
}

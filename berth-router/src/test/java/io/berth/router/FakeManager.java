package io.berth.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Json;
import io.berth.cluster.wire.ErrorBody;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.cluster.wire.TrafficReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The manager's side of the router contract (docs/router.md): {@code GET /v1/routes} answers at
 * once when its table is newer than {@code after}, else when the table changes, else after
 * {@code wait}; {@code POST /v1/routers/{id}} keeps each status and {@code …/traffic} each traffic report; {@code GET
 * /v1/pulse} writes a newline every 500 ms. Only {@code Bearer secret} is let in.
 */
final class FakeManager implements AutoCloseable {
  static final String TOKEN = "secret";
  private final HttpServer server;
  private RouteTable table; // guarded by this
  private boolean stopped; // guarded by this
  final List<RouterStatus> statuses = new CopyOnWriteArrayList<>();
  final List<String> polls = new CopyOnWriteArrayList<>();
  final List<TrafficReport> traffic = new CopyOnWriteArrayList<>();
  /** When false, {@code POST /v1/routers/{id}/traffic} is a 404, as on a manager older than the route. */
  volatile boolean trafficRoute = true;
  final AtomicInteger trafficCalls = new AtomicInteger();
  /** Runs as each status arrives, before the router gets its 204. */
  volatile Consumer<RouterStatus> onStatus = s -> {};
  /** When set, every call answers 503, as a manager cut off from its store does. */
  volatile boolean unavailable;
  /** When set, nothing more is answered and no pulse written, but no connection ends: a manager that hangs. */
  volatile boolean hung;
  final AtomicInteger pulses = new AtomicInteger();

  FakeManager(int port, RouteTable table) {
    this.table = table;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      try (ex) {
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          answer(ex, 401, Json.bytes(new ErrorBody("Unauthorized", "invalid token")));
        } else if (hung) {
          awaitStop(); // neither an answer nor a reset
        } else if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/v1/pulse")) {
          pulses.incrementAndGet();
          pulse(ex);
        } else if (unavailable) {
          answer(ex, 503, Json.bytes(new ErrorBody("Unavailable", "store has no quorum: 1 of 3 members answer")));
        } else if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/v1/routes")) {
          polls.add(ex.getRequestURI().getRawQuery());
          answer(ex, 200, Json.bytes(poll(query(ex.getRequestURI().getRawQuery()))));
        } else if (ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().endsWith("/traffic")) {
          trafficCalls.incrementAndGet();
          if (!trafficRoute) {
            answer(ex, 404, Json.bytes(new ErrorBody("RouteNotFound", "no such route")));
            return;
          }
          traffic.add(Json.read(ex.getRequestBody().readAllBytes(), TrafficReport.class));
          answer(ex, 204, new byte[0]);
        } else if (ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().startsWith("/v1/routers/")) {
          RouterStatus s = Json.read(ex.getRequestBody().readAllBytes(), RouterStatus.class);
          onStatus.accept(s);
          statuses.add(s);
          answer(ex, 204, new byte[0]);
        } else {
          answer(ex, 404, Json.bytes(new ErrorBody("RouteNotFound", "no such route")));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the router went away, or this manager stopped
      }
    });
    server.start();
  }

  private synchronized RouteTable poll(Map<String, String> q) throws InterruptedException {
    long after = Long.parseLong(q.getOrDefault("after", "0"));
    String wait = q.getOrDefault("wait", "30s");
    long deadline = System.currentTimeMillis() + Long.parseLong(wait.substring(0, wait.length() - 1)) * 1000;
    while (table.revision() <= after && !stopped && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
    while (hung && !stopped) wait();
    return table;
  }

  /** A newline every 500 ms, as a manager's pulse, until it hangs or stops. */
  private void pulse(HttpExchange ex) throws IOException, InterruptedException {
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      while (!hung && !isStopped()) {
        out.write('\n');
        out.flush();
        Thread.sleep(500);
      }
      awaitStop();
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private synchronized void awaitStop() throws InterruptedException {
    while (!stopped) wait();
  }

  synchronized void publish(RouteTable next) {
    table = next;
    notifyAll();
  }

  synchronized RouteTable table() {
    return table;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The newest status a router posted, or null. */
  RouterStatus latest() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    server.stop(0);
  }

  private static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) return q;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }
}

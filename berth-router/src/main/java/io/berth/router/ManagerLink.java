package io.berth.router;

import io.berth.cluster.Json;
import io.berth.cluster.Refused;
import io.berth.cluster.pulse.HttpPulse;
import io.berth.cluster.pulse.Pulse;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.cluster.wire.TrafficReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's calls on a manager's Berth API: the route table long poll, its status and its traffic numbers. It
 * knows several managers (those given, then those each table names) and calls one; a call that
 * cannot reach it (refused, reset, no answer in time) moves the link to the next after a random
 * jitter and ends the other call still waiting on the old one, so the next poll, from the same
 * revision, goes to a manager that answers. An answer that says no never moves it, but for a 503:
 * that manager cannot serve at all (its store is out of reach), and another may. A manager that
 * hangs (connections open, nothing answered) is left when its pulse ({@code GET /v1/pulse}) is silent.
 */
final class ManagerLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagerLink.class);
  static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_JITTER_MILLIS = 300;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String token;
  private final Set<String> known = new LinkedHashSet<>(); // guarded by this
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private String current; // guarded by this
  private final Thread pulse;

  ManagerLink(List<String> managers, String token) {
    this.token = token;
    known.addAll(managers);
    current = managers.get(0);
    this.pulse = Pulse.start("router-pulse", new Silence(), (base, heard) -> HttpPulse.open(http, request(base, "/v1/pulse").GET().build(), heard));
  }

  /** What the router's pulse does: a silent manager (it hangs) is left at once; one that cannot be reached, the next call finds. */
  private final class Silence implements Pulse.Managers {
    @Override
    public String current() {
      return ManagerLink.this.current();
    }

    @Override
    public boolean several() {
      return known().size() > 1;
    }

    @Override
    public void silent(String base) {
      move(base, "no pulse for " + Pulse.SILENCE.toMillis() + " ms");
    }

    @Override
    public void unreachable(String base) {
      // the poll or the next status report fails and moves the link: a failed pulse alone proves little
    }
  }

  synchronized String current() {
    return current;
  }

  synchronized List<String> known() {
    return List.copyOf(known);
  }

  /** {@code GET /v1/routes?group=G&after=REV&wait=…}: the group's table once it is newer than {@code after}, or after {@code wait}. */
  RouteTable routes(String group, long after, Duration wait) throws IOException {
    String base = current();
    HttpRequest req = request(base, "/v1/routes?group=" + encode(group) + "&after=" + after + "&wait=" + wait.toSeconds() + "s&managers=true")
        .timeout(wait.plusSeconds(10)).GET().build();
    RouteTable table = Json.read(send(base, req), RouteTable.class);
    learn(table.managers());
    return table.withManagers(List.of()); // where managers are is not what nginx serves
  }

  /** {@code POST /v1/routers/{id}}, with a short timeout: it doubles as the check that the manager still answers. */
  void report(RouterStatus status) throws IOException {
    String base = current();
    send(base, request(base, "/v1/routers/" + encode(status.id())).timeout(STATUS_TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(status))).build());
  }

  /** {@code POST /v1/routers/{id}/traffic}: one window of traffic numbers. A 404 is a manager older than the route. */
  void traffic(TrafficReport report) throws IOException {
    String base = current();
    send(base, request(base, "/v1/routers/" + encode(report.id()) + "/traffic").timeout(STATUS_TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(report))).build());
  }

  private synchronized void learn(List<String> urls) {
    for (String u : urls) {
      if (known.add(u)) log.info("manager-learned url={}", u);
    }
  }

  private HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
  }

  private byte[] send(String base, HttpRequest req) throws IOException {
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
    inFlight.add(call);
    HttpResponse<byte[]> res;
    try {
      res = call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (CancellationException e) {
      throw new IOException("the router left manager " + base, e);
    } catch (ExecutionException e) {
      IOException failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      move(base, Router.describe(failure));
      throw failure;
    } finally {
      inFlight.remove(call);
    }
    if (res.statusCode() / 100 != 2) {
      Refused refused = new Refused(res.statusCode(), "HTTP " + res.statusCode() + ": " + Refused.reason(res.body()).orElse("no error body"));
      if (res.statusCode() == 503) move(base, refused.getMessage());
      throw refused;
    }
    return res.body();
  }

  /** Moves from {@code from} to the next known manager after the jitter, unless a move came first; ends calls to the others. */
  private void move(String from, String reason) {
    if (known().size() < 2 || !from.equals(current())) return;
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(MAX_JITTER_MILLIS + 1)); // routers of a dead manager do not all arrive at once
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    synchronized (this) {
      if (!from.equals(current)) return;
      List<String> order = new ArrayList<>(known);
      current = order.get((order.indexOf(from) + 1) % order.size());
      log.warn("manager-switched from={} to={} reason={}", from, current, reason);
    }
    inFlight.forEach(c -> c.cancel(true)); // every call in flight went to the old manager, or is about to be retried anyway
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    pulse.interrupt();
    http.shutdownNow();
  }
}

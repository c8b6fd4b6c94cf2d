package io.berth.agent;

import io.berth.cluster.Json;
import io.berth.cluster.Refused;
import io.berth.cluster.pulse.HttpPulse;
import io.berth.cluster.pulse.Pulse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Calls the managers' cluster endpoints over TLS 1.3 and decodes their JSON answers and errors.
 * Calls go to the {@link ManagerSet}'s current manager; a call that cannot reach it has the set
 * suspect it, and {@link #abort} ends every call still waiting on a manager the agent left (a
 * long poll on a dead host would otherwise wait out its whole timeout).
 */
final class ManagerClient {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  static final long GRACE_MILLIS = 2_000;
  private final HttpClient http;
  private final ManagerSet managers;
  private final Map<CompletableFuture<?>, String> inFlight = new ConcurrentHashMap<>();

  ManagerClient(ManagerSet managers, SSLContext tls) {
    SSLParameters p = tls.getDefaultSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    // 1 s to connect: a manager whose host is gone must be left within the agent's 2 s budget.
    this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(p)
        .connectTimeout(Duration.ofSeconds(1)).version(HttpClient.Version.HTTP_1_1).build();
    this.managers = managers;
  }

  ManagerSet managers() {
    return managers;
  }

  /** POSTs {@code body} to the current manager and decodes the answer; a non-2xx answer is a {@link Refused}. */
  <T> T post(String path, Object body, Class<T> answer) throws IOException {
    return post(managers.current(), path, body, answer, CALL_TIMEOUT);
  }

  /** POSTs {@code body} to {@code address}, waiting up to {@code timeout}. */
  <T> T post(String address, String path, Object body, Class<T> answer, Duration timeout) throws IOException {
    return exchange(address, HttpRequest.newBuilder(uri(address, path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build(), answer);
  }

  /** GETs {@code path} from the current manager, waiting up to {@code timeout} (long polls); a non-2xx answer is a {@link Refused}. */
  <T> T get(String path, Class<T> answer, Duration timeout) throws IOException {
    String address = managers.current();
    return exchange(address, HttpRequest.newBuilder(uri(address, path)).timeout(timeout).GET().build(), answer);
  }

  /** POSTs {@code body} to the current manager and expects no answer body (204). */
  void send(String path, Object body) throws IOException {
    post(path, body, Void.class);
  }

  /**
   * Starts listening to the current manager's pulse ({@code GET /v1/cluster/pulse}, no timeout: it
   * lasts as long as the connection). A silent manager has the set note it and the calls still
   * waiting on it end, so the heartbeat thread leaves it at once; one that cannot be reached has
   * the heartbeat thread check it.
   */
  Thread listen() {
    return Pulse.start("agent-pulse", new Pulse.Managers() {
      @Override
      public String current() {
        return managers.current();
      }

      @Override
      public boolean several() {
        return managers.known().size() > 1;
      }

      @Override
      public void silent(String address) {
        if (managers.silent(address)) abort(address);
      }

      @Override
      public void unreachable(String address) {
        managers.suspect(address);
      }
    }, (address, heard) -> HttpPulse.open(http, HttpRequest.newBuilder(uri(address, "/v1/cluster/pulse")).GET().build(), heard));
  }

  /** Ends every call still waiting on {@code address}: each fails with an {@link IOException}. */
  void abort(String address) {
    inFlight.forEach((call, to) -> {
      if (to.equals(address)) call.cancel(true);
    });
  }

  /**
   * The call's answer. The wait is bounded here too, {@value #GRACE_MILLIS} ms past the request's own
   * timeout: that timeout is kept by the HTTP client's own selector thread, and a call must not wait
   * forever should that thread fail to end it.
   */
  private <T> T exchange(String address, HttpRequest req, Class<T> answer) throws IOException {
    CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
    inFlight.put(call, address);
    long limit = req.timeout().orElse(CALL_TIMEOUT).toMillis() + GRACE_MILLIS;
    try {
      return decode(address, call.get(limit, TimeUnit.MILLISECONDS), answer);
    } catch (TimeoutException e) {
      call.cancel(true);
      managers.suspect(address);
      throw new HttpTimeoutException("manager " + address + " did not answer " + req.method() + " " + req.uri().getPath()
          + " within " + limit + " ms, and the HTTP client did not end the call itself");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (CancellationException e) {
      throw left(address);
    } catch (ExecutionException e) {
      if (call.isCancelled()) throw left(address);
      IOException failure = failure(address, e.getCause());
      managers.suspect(address);
      throw failure;
    } finally {
      inFlight.remove(call);
    }
  }

  /** No cause on purpose: {@link Agent#describe} reads the root cause, and this says it all. */
  private static IOException left(String address) {
    return new IOException("the agent left manager " + address);
  }

  private static IOException failure(String address, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) return new NotOfCluster(address, cause);
    }
    return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
  }

  private static URI uri(String address, String path) {
    return URI.create("https://" + address + path);
  }

  private <T> T decode(String address, HttpResponse<byte[]> res, Class<T> answer) throws Refused {
    if (res.statusCode() == 503) managers.suspect(address); // a manager stopping answers its long polls so
    if (res.statusCode() / 100 != 2) throw new Refused(res.statusCode(), Refused.reason(res.body()).orElse("HTTP " + res.statusCode()));
    if (answer == Void.class || res.body().length == 0) return null;
    return Json.read(res.body(), answer);
  }

  void close() {
    http.shutdownNow(); // ends a long poll in flight at once
  }

  /** The TLS handshake met a manager whose certificate the node's CA (or the join token's pin) did not sign. */
  static final class NotOfCluster extends IOException {
    NotOfCluster(String address, Throwable cause) {
      super("manager " + address + " is not of this cluster: its certificate is not signed by the pinned CA", cause);
    }
  }
}

package io.berth.agent;

import io.berth.cluster.Json;
import io.berth.cluster.Refused;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Calls the manager's cluster endpoint over TLS 1.3 and decodes its JSON answers and errors. */
final class ManagerClient {
  private final HttpClient http;
  private final String base;

  ManagerClient(String manager, SSLContext tls) {
    SSLParameters p = tls.getDefaultSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(p)
        .connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
    this.base = "https://" + manager;
  }

  /** POSTs {@code body} and decodes the answer; a non-2xx answer is a {@link Refused}. */
  <T> T post(String path, Object body, Class<T> answer) throws IOException {
    return exchange(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build(), answer);
  }

  /** GETs {@code path}, waiting up to {@code timeout} for the answer (long polls); a non-2xx answer is a {@link Refused}. */
  <T> T get(String path, Class<T> answer, Duration timeout) throws IOException {
    return exchange(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET().build(), answer);
  }

  private <T> T exchange(HttpRequest req, Class<T> answer) throws IOException {
    try {
      return decode(http.send(req, HttpResponse.BodyHandlers.ofByteArray()), answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** POSTs {@code body} and expects no answer body (204). */
  void send(String path, Object body) throws IOException {
    post(path, body, Void.class);
  }

  private static <T> T decode(HttpResponse<byte[]> res, Class<T> answer) throws Refused {
    if (res.statusCode() / 100 != 2) throw new Refused(res.statusCode(), Refused.reason(res.body()).orElse("HTTP " + res.statusCode()));
    if (answer == Void.class || res.body().length == 0) return null;
    return Json.read(res.body(), answer);
  }

  void close() {
    http.close();
  }
}

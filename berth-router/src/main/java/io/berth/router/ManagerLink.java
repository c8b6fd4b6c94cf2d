package io.berth.router;

import io.berth.cluster.Json;
import io.berth.cluster.Refused;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The router's two calls on the manager's Berth API: the route table long poll and its status. */
final class ManagerLink implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String token;

  ManagerLink(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** {@code GET /v1/routes?group=G&after=REV&wait=…}: the group's table once it is newer than {@code after}, or after {@code wait}. */
  RouteTable routes(String group, long after, Duration wait) throws IOException {
    HttpRequest req = request("/v1/routes?group=" + encode(group) + "&after=" + after + "&wait=" + wait.toSeconds() + "s")
        .timeout(wait.plusSeconds(10)).GET().build();
    return Json.read(send(req), RouteTable.class);
  }

  /** {@code POST /v1/routers/{id}}. */
  void report(RouterStatus status) throws IOException {
    send(request("/v1/routers/" + encode(status.id())).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(status))).build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
  }

  private byte[] send(HttpRequest req) throws IOException {
    HttpResponse<byte[]> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (res.statusCode() / 100 != 2) {
      throw new Refused(res.statusCode(), "HTTP " + res.statusCode() + ": " + Refused.reason(res.body()).orElse("no error body"));
    }
    return res.body();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}

package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the Berth API with a Bearer token; failures become one sentence for the user. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  JsonNode get(String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<byte[]> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new IllegalStateException("cannot reach the manager at " + base + ": connection refused (is it running?)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the manager at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(res.body());
    } catch (IOException e) {
      throw new IllegalStateException("the manager at " + base + " sent something that is not JSON (HTTP " + res.statusCode() + ")");
    }
    if (res.statusCode() / 100 != 2) {
      throw new IllegalStateException(body.path("message").asText("HTTP " + res.statusCode()) + " (HTTP " + res.statusCode() + ")");
    }
    return body;
  }
}

package io.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads a manager's Berth API as a test client, with the admin token from its data dir. */
final class ManagerApi {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final Path dataDir;

  ManagerApi(String base, Path dataDir) {
    this.base = base;
    this.dataDir = dataDir;
  }

  /** GETs a path; null when the manager does not answer. */
  JsonNode get(String path) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + Files.readString(dataDir.resolve("admin.token")).trim()).build();
      HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      return res.statusCode() == 200 ? Json.MAPPER.readTree(res.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The state of one node as the API says, or "" when unknown or unreachable. */
  String nodeState(String name) {
    JsonNode n = get("/v1/nodes/" + name);
    return n == null ? "" : n.path("state").asText();
  }

  long countNodes(Predicate<JsonNode> which) {
    JsonNode all = get("/v1/nodes");
    if (all == null) return -1;
    long c = 0;
    for (JsonNode n : all) if (which.test(n)) c++;
    return c;
  }
}

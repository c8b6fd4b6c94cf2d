package io.berth.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Json;
import io.berth.store.Fence;
import io.berth.store.FencedOutException;
import io.berth.store.StoreException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A store that cannot answer (no quorum, or this manager fenced out) is a 503 with the store's sentence, not a 500. */
class RoutesStoreErrorTest {
  final HttpClient http = HttpClient.newHttpClient();
  HttpServer server;

  @BeforeEach
  void start() {
    Routes routes = new Routes(r -> {})
        .get("/v1/quorum", r -> {
          throw new StoreException("store has no quorum: 1 of 3 members answer");
        })
        .post("/v1/fenced", r -> {
          throw new FencedOutException(new Fence("/berth/leader", 7));
        });
    server = Servers.http("test API", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aStoreWithoutQuorumIs503WithItsSentence() throws Exception {
    HttpResponse<String> r = call("GET", "/v1/quorum");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("name").asText()).isEqualTo("Unavailable");
    assertThat(body.path("message").asText()).isEqualTo("store has no quorum: 1 of 3 members answer");
  }

  @Test
  void aFencedOutWriteIs503() throws Exception {
    HttpResponse<String> r = call("POST", "/v1/fenced");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Json.MAPPER.readTree(r.body()).path("message").asText()).isEqualTo("not the leader any more: /berth/leader changed");
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

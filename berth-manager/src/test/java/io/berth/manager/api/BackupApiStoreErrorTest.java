package io.berth.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.Json;
import io.berth.manager.http.Routes;
import io.berth.manager.http.Servers;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be read is a 503 in words before the backup starts, never a 200 cut short. */
class BackupApiStoreErrorTest {
  @TempDir Path dir;

  @Test
  void aStoreThatFailsIsA503WithItsSentence() throws Exception {
    StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    store.close();
    Routes routes = new Routes(r -> {});
    new BackupApi(store, dir, "1.2.3", Clock.systemUTC()).addRoutes(routes);
    HttpServer server = Servers.http("test API", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes);
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/backup");
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(Json.MAPPER.readTree(r.body()).path("message").asText()).isEqualTo("the store at " + dir.resolve("berth.db") + " is closed");
    } finally {
      server.stop(0);
    }
  }
}

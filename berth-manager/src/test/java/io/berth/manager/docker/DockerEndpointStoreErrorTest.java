package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.activity.Activity;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.Fence;
import io.berth.store.FencedOutException;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import io.berth.store.StoreException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot answer (no quorum, or this manager fenced out) is Docker's 503 with the store's sentence, not a 500. */
class DockerEndpointStoreErrorTest {
  @TempDir Path dir;
  final TestAccess access = new TestAccess().user("alice", "tok-alice");
  final HttpClient http = HttpClient.newHttpClient();
  StateStore store;
  NodeRegistry nodes;
  Fleet fleet;
  DockerEndpoint endpoint;

  @BeforeEach
  void start() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    fleet = Fleet.start(nodes, null, null);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(List.of(), Strategy.SPREAD, new Random(1)), "test", access);
    endpoint = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
    fleet.close();
    nodes.close();
    store.close();
  }

  @Test
  void aStoreWithoutQuorumIs503WithItsSentence() throws Exception {
    access.failure = new StoreException("store has no quorum: 1 of 3 members answer");

    HttpResponse<String> r = get("/containers/json");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(new ObjectMapper().readTree(r.body()).path("message").asText()).isEqualTo("store has no quorum: 1 of 3 members answer");
  }

  @Test
  void aFencedOutManagerIs503() throws Exception {
    access.failure = new FencedOutException(new Fence("/berth/leader", 7));

    HttpResponse<String> r = get("/version");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("not the leader any more: /berth/leader changed");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .header("Authorization", "Bearer tok-alice").build(), HttpResponse.BodyHandlers.ofString());
  }
}

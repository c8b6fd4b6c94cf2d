package io.berth.manager.docker;

import io.berth.core.id.NodeName;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.FakeEngine;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.plan.Reservation;
import io.berth.store.StateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two managers' Docker endpoints on one store and one node of 2 GiB (each manager with its own fleet
 * and cache, as on two hosts): they never both take the node's last memory or one name, and a docker
 * run counts the instances the leader claimed before their containers show.
 */
class SharedCreateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GIB_AND_A_HALF = "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"Memory\":" + (3L << 29) + "}}";
  static final String ONE_GIB = "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"Memory\":" + (1L << 30) + "}}";
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final List<AutoCloseable> closing = new ArrayList<>();
  OneNode node;
  StateStore store;
  FakeEngine engine;
  PlanLock planA;
  DockerEndpoint a;
  DockerEndpoint b;

  @BeforeEach
  void start() throws Exception {
    node = new OneNode(dir);
    store = node.store;
    engine = node.engine;
    Fleet fleetA = Fleet.start(node.nodes, null, null);
    Fleet fleetB = Fleet.start(node.nodes, null, null);
    closing.add(fleetA);
    closing.add(fleetB);
    planA = PlanLock.shared(store, "a", fleetA.view());
    a = endpoint(fleetA, planA);
    b = endpoint(fleetB, PlanLock.shared(store, "b", fleetB.view()));
  }

  private DockerEndpoint endpoint(Fleet fleet, PlanLock plan) {
    DockerRoutes routes = new DockerRoutes(fleet, plan, new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), "m",
        new TestAccess());
    DockerEndpoint e = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
    closing.add(0, e);
    return e;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) c.close();
    node.close();
  }

  @Test
  void twoManagersRacingForANodesLastMemoryPlaceOne() throws Exception {
    List<HttpResponse<String>> answers = race(() -> create(a, "", GIB_AND_A_HALF), () -> create(b, "", GIB_AND_A_HALF));
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 409);
  }

  @Test
  void twoManagersCreatingOneNameAtOnceMakeOne() throws Exception {
    List<HttpResponse<String>> answers = race(() -> create(a, "?name=x1", ONE_GIB), () -> create(b, "?name=x1", ONE_GIB));
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 409);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
    assertThat(JSON.readTree(refused.body()).path("message").asText()).isEqualTo("Conflict. The container name \"/x1\" is already in use "
        + "by another container on the cluster. You have to remove (or rename) that container to be able to reuse that name.");
  }

  @Test
  void anInstanceTheLeaderClaimedHoldsItsMemoryForADockerRunOnAnotherManager() throws Exception {
    planA.holding(() -> {
      planA.claimed(List.of(new Reservation(NodeName.of("node16"), "g1", "berth/busybox:1", 3L << 29)));
      return null;
    });
    HttpResponse<String> refused = create(b, "", ONE_GIB);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(create(b, "", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"Memory\":" + (1L << 28) + "}}").statusCode()).isEqualTo(201);
  }

  @Test
  void aNameHeldByACreateStillRunningElsewhereIsInUseUntilItIsStale() throws Exception {
    store.put(ContainerNames.PREFIX + "busy", Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
    assertThat(create(b, "?name=busy", ONE_GIB).statusCode()).isEqualTo(409);
    long old = System.currentTimeMillis() - ContainerNames.STALE.toMillis() - 1;
    store.put(ContainerNames.PREFIX + "busy", Long.toString(old).getBytes(StandardCharsets.UTF_8));
    assertThat(create(b, "?name=busy", ONE_GIB).statusCode()).isEqualTo(201);
    assertThat(store.get(ContainerNames.PREFIX + "busy").orElseThrow().text()).contains(" node16 ");
  }

  @Test
  void aRemovedContainersNameIsFreeAtOnceThroughAnotherManager() throws Exception {
    assertThat(create(a, "?name=web", ONE_GIB).statusCode()).isEqualTo(201);
    assertThat(call(a, "DELETE", "/containers/web?force=1", null).statusCode()).isEqualTo(204);
    assertThat(store.get(ContainerNames.PREFIX + "web")).as("the remove took the reservation with it").isEmpty();
    HttpResponse<String> again = create(b, "?name=web", ONE_GIB);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
  }

  @Test
  void aContainerRemovedBehindTheManagersBackFreesItsNameAtTheNextCreate() throws Exception {
    HttpResponse<String> made = create(a, "?name=gone", ONE_GIB);
    assertThat(made.statusCode()).isEqualTo(201);
    engine.remove(JSON.readTree(made.body()).path("Id").asText(), true);
    assertThat(store.get(ContainerNames.PREFIX + "gone")).isPresent();
    assertThat(create(b, "?name=gone", ONE_GIB).statusCode()).isEqualTo(201);
  }

  @Test
  void aRenameTheNodeRefusesFreesTheNewNameAndANameHeldElsewhereCannotBeTakenByRename() throws Exception {
    assertThat(create(a, "?name=first", ONE_GIB).statusCode()).isEqualTo(201);
    // the fake engine answers rename with 501: the reservation of the new name must not outlive the refusal
    assertThat(call(b, "POST", "/containers/first/rename?name=second", null).statusCode()).isEqualTo(501);
    assertThat(store.get(ContainerNames.PREFIX + "second")).isEmpty();
    assertThat(store.get(ContainerNames.PREFIX + "first")).isPresent();
    store.put(ContainerNames.PREFIX + "third", Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> refused = call(a, "POST", "/containers/first/rename?name=third", null);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(refused.body()).path("message").asText()).startsWith("Conflict. The container name \"/third\" is already in use");
  }

  @Test
  void aFailedCreateFreesTheName() throws Exception {
    HttpResponse<String> none = create(a, "?name=lost", "{\"Image\":\"berth/nothing:1\",\"HostConfig\":{\"Memory\":" + (8L << 30) + "}}");
    assertThat(none.statusCode()).isEqualTo(409);
    assertThat(store.get(ContainerNames.PREFIX + "lost")).isEmpty();
  }

  private HttpResponse<String> create(DockerEndpoint e, String query, String body) throws Exception {
    return call(e, "POST", "/containers/create" + query, body);
  }

  private HttpResponse<String> call(DockerEndpoint e, String method, String path, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/v1.41" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) r.header("Content-Type", "application/json");
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  interface Call {
    HttpResponse<String> send() throws Exception;
  }

  /** Both at once, each on its own thread. */
  private static List<HttpResponse<String>> race(Call first, Call second) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
    for (Call c : List.of(first, second)) {
      CompletableFuture<HttpResponse<String>> run = new CompletableFuture<>();
      runs.add(run);
      Thread.ofPlatform().start(() -> {
        try {
          go.await();
          run.complete(c.send());
        } catch (Exception e) {
          run.completeExceptionally(e);
        }
      });
    }
    go.countDown();
    List<HttpResponse<String>> out = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> run : runs) out.add(run.get());
    return out;
  }
}

package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cluster.wire.Registration;
import io.berth.core.id.NodeName;
import io.berth.core.node.NodeAccess;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.FakeDockerServer;
import io.berth.engine.FakeEngine;
import io.berth.manager.activity.Activity;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classic Swarm's network model through the endpoint, on two hollow nodes: a network lives on one node, and so do its containers. */
class NetworkRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  StateStore store;
  NodeRegistry nodes;
  final Map<String, FakeEngine> engines = new LinkedHashMap<>();
  final List<FakeDockerServer.Listener> servers = new ArrayList<>();
  Fleet fleet;
  DockerEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    nodes.start();
    for (String name : List.of("node1", "node2")) {
      FakeEngine engine = FakeEngine.builder().name(name).build();
      engine.addImage("berth/busybox:1");
      FakeDockerServer.Listener server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), engine);
      nodes.register(NodeName.of(name), name + "-id", new Registration("127.0.0.1:" + server.port(), OneNode.FACTS, Map.of()), NodeAccess.ENGINE);
      engines.put(name, engine);
      servers.add(server);
    }
    startManager();
  }

  /** A manager over the nodes: its cache lists every node's containers, images and networks afresh. */
  void startManager() throws Exception {
    fleet = Fleet.start(nodes, null, null);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), "test", new TestAccess());
    endpoint = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> nodes.list().stream().allMatch(n -> fleet.view().cache().containers(n).isPresent()));
  }

  void stopManager() throws Exception {
    endpoint.close();
    fleet.close();
  }

  @AfterEach
  void stop() throws Exception {
    stopManager();
    for (FakeDockerServer.Listener s : servers) s.close();
    nodes.close();
    store.close();
  }

  @Test
  void composeUpAndDownThroughTheManager() throws Exception {
    assertThat(call("GET", "/v1.41/networks/webapp_default", null).statusCode()).isEqualTo(404);
    HttpResponse<String> made = call("POST", "/v1.41/networks/create", "{\"Name\":\"webapp_default\",\"CheckDuplicate\":true,"
        + "\"Labels\":{\"com.docker.compose.project\":\"webapp\",\"com.docker.compose.network\":\"default\"},\"Attachable\":true}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String id = JSON.readTree(made.body()).path("Id").asText();
    String home = nodeOf("webapp_default");

    String byProject = enc("{\"label\":{\"com.docker.compose.project=webapp\":true}}");
    JsonNode listed = JSON.readTree(call("GET", "/v1.41/networks?filters=" + byProject, null).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("Name").asText()).isEqualTo(home + "/webapp_default");
    assertThat(listed.get(0).path("Id").asText()).isEqualTo(id);

    List<String> containerIds = new ArrayList<>();
    for (String service : List.of("web", "db", "cache", "worker")) {
      HttpResponse<String> c = call("POST", "/v1.41/containers/create?name=webapp_" + service + "_1", "{\"Image\":\"berth/busybox:1\","
          + "\"HostConfig\":{\"NetworkMode\":\"webapp_default\"},"
          + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"webapp_default\":{\"Aliases\":[\"" + service + "\"]}}}}");
      assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
      containerIds.add(JSON.readTree(c.body()).path("Id").asText());
    }
    assertThat(engines.get(home).listContainers(true, Map.of())).as("every service beside its network").hasSize(4);

    HttpResponse<String> connected = call("POST", "/v1.41/networks/webapp_default/connect",
        "{\"Container\":\"webapp_web_1\",\"EndpointConfig\":{\"Aliases\":[\"web\"]}}");
    assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
    JsonNode inspected = JSON.readTree(call("GET", "/v1.41/networks/webapp_default", null).body());
    assertThat(inspected.path("Name").asText()).isEqualTo(home + "/webapp_default");
    assertThat(inspected.path("Containers").has(containerIds.get(0))).as("the attached containers, from the network's node").isTrue();

    assertThat(call("DELETE", "/v1.41/networks/webapp_default", null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "/v1.41/networks/webapp_default", null).statusCode()).isEqualTo(404);
    HttpResponse<String> late = call("POST", "/v1.41/containers/create",
        "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"NetworkMode\":\"webapp_default\"}}");
    assertThat(late.statusCode()).isEqualTo(404);
    assertThat(late.body()).contains("network webapp_default not found");
  }

  @Test
  void nodeSlashNameCreatesOnThatNodeAndItsContainersFollow() throws Exception {
    assertThat(call("POST", "/networks/create", "{\"Name\":\"node2/back\"}").statusCode()).isEqualTo(201);
    assertThat(nodeOf("back")).isEqualTo("node2");
    HttpResponse<String> c = call("POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"NetworkMode\":\"node2/back\"},"
        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"node2/back\":{\"Aliases\":[\"api\"]}}}}");
    assertThat(c.statusCode()).as("the engine got the name it knows: " + c.body()).isEqualTo(201);
    assertThat(engines.get("node2").listContainers(true, Map.of())).hasSize(1);
    String id = JSON.readTree(c.body()).path("Id").asText();
    assertThat(call("POST", "/networks/node2/back/disconnect", "{\"Container\":\"" + id + "\"}").statusCode()).isEqualTo(200);
    assertThat(call("POST", "/networks/node2%2Fback/connect", "{\"Container\":\"" + id + "\"}").statusCode()).isEqualTo(200);
    JsonNode inspected = JSON.readTree(call("GET", "/networks/node2/back", null).body());
    assertThat(inspected.path("Name").asText()).isEqualTo("node2/back");
    assertThat(inspected.path("Containers").has(id)).isTrue();
    assertThat(call("DELETE", "/networks/node2/back", null).statusCode()).isEqualTo(204);
    assertThat(onNode("node2")).extracting(n -> n.path("Name").asText()).doesNotContain("back");
  }

  @Test
  void aConstraintLabelPicksTheNodeAndPruneNamesWhatWentAsNodeSlashName() throws Exception {
    for (int i = 0; i < 3; i++) {
      String label = "{\"com.docker.swarm.constraints\":\"[\\\"node==node2\\\"]\"}";
      assertThat(call("POST", "/networks/create", "{\"Name\":\"n" + i + "\",\"Labels\":" + label + "}").statusCode()).isEqualTo(201);
      assertThat(nodeOf("n" + i)).isEqualTo("node2");
    }
    assertThat(call("POST", "/containers/create?name=user", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"NetworkMode\":\"n0\"}}")
        .statusCode()).isEqualTo(201);
    assertThat(call("POST", "/networks/n0/connect", "{\"Container\":\"user\"}").statusCode()).as("in use: kept").isEqualTo(200);
    JsonNode asked = JSON.readTree(call("GET", "/networks?filters=" + enc("{\"dangling\":[\"false\"],\"name\":[\"n1\"]}"), null).body());
    assertThat(asked).as("dangling asked of the nodes, name applied here").extracting(n -> n.path("Name").asText()).containsExactly("node2/n1");
    JsonNode pruned = JSON.readTree(call("POST", "/networks/prune", "").body());
    assertThat(pruned.path("NetworksDeleted")).extracting(JsonNode::asText).containsExactly("node2/n1", "node2/n2");
    JsonNode left = JSON.readTree(call("GET", "/networks?filters=" + enc("{\"type\":[\"custom\"]}"), null).body());
    assertThat(left).extracting(n -> n.path("Name").asText()).containsExactly("node2/n0");
  }

  @Test
  void aComposeProjectsNetworksShareANodeSoAServiceCanJoinSeveral() throws Exception {
    String labels = "\"Labels\":{\"com.docker.compose.project\":\"shop\"}";
    assertThat(call("POST", "/networks/create", "{\"Name\":\"node2/shop_default\"," + labels + "}").statusCode()).isEqualTo(201);
    for (String net : List.of("shop_back", "shop_front", "shop_admin")) {
      assertThat(call("POST", "/networks/create", "{\"Name\":\"" + net + "\",\"CheckDuplicate\":true," + labels + "}").statusCode()).isEqualTo(201);
      assertThat(nodeOf(net)).as(net).isEqualTo("node2");
    }
    HttpResponse<String> worker = call("POST", "/containers/create?name=shop_worker_1", "{\"Image\":\"berth/busybox:1\","
        + "\"HostConfig\":{\"NetworkMode\":\"shop_back\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"shop_back\":{}}}}");
    assertThat(worker.statusCode()).isEqualTo(201);
    assertThat(call("POST", "/networks/shop_default/connect", "{\"Container\":\"shop_worker_1\"}").statusCode()).isEqualTo(200);
    JsonNode inspected = JSON.readTree(call("GET", "/containers/shop_worker_1/json", null).body());
    assertThat(inspected.path("NetworkSettings").path("Networks").has("shop_default")).as("what compose reads before it connects").isTrue();
  }

  @Test
  void refusalsNameTheirReason() throws Exception {
    assertRefused(call("POST", "/networks/create", "{\"Name\":\"node9/x\"}"), 404,
        "cannot create network node9/x: no ready node node9 (ready: node1, node2)");
    assertRefused(call("POST", "/networks/create", "{\"Name\":\"mesh\",\"Driver\":\"overlay\"}"), 400,
        "network driver \\\"overlay\\\" is not supported: Berth keeps every network local to one node and has no store for multi-host (overlay)");
    assertRefused(call("POST", "/networks/create", "{\"Name\":\"woven\",\"Driver\":\"weave\"}"), 400,
        "network driver \\\"weave\\\" is not supported");
    assertThat(call("POST", "/networks/create", "{\"Name\":\"lan\",\"Driver\":\"macvlan\"}").statusCode()).isEqualTo(201);
    nodeOf("lan");
    assertRefused(call("POST", "/networks/create", "{\"Name\":\"\"}"), 400, "network name is required");
    assertRefused(call("POST", "/networks/create", "{\"Name\":"), 400, "invalid JSON in the network create request: ");
    assertRefused(call("POST", "/networks/create", "[]"), 400, "the network create request needs a JSON object as its body");
    assertThat(call("POST", "/networks/create", "{\"Name\":\"node1/front\",\"CheckDuplicate\":true}").statusCode()).isEqualTo(201);
    assertRefused(call("POST", "/networks/create", "{\"Name\":\"front\",\"CheckDuplicate\":true}"), 409,
        "network with name front already exists (node1/front)");
    assertRefused(call("GET", "/networks/bridge", null), 400, "network bridge is ambiguous: it is on several nodes (node1/bridge, node2/bridge)");
    assertRefused(call("POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"Env\":[\"constraint:node==node2\"],"
        + "\"HostConfig\":{\"NetworkMode\":\"front\"}}"), 400, "network front is on node1, but the constraint node==node2 excludes that node");

    HttpResponse<String> elsewhere = call("POST", "/containers/create?name=lone",
        "{\"Image\":\"berth/busybox:1\",\"Env\":[\"constraint:node==node2\"]}");
    assertThat(elsewhere.statusCode()).isEqualTo(201);
    assertRefused(call("POST", "/networks/front/connect", "{\"Container\":\"lone\"}"), 400,
        "cannot connect container lone (on node node2) to network node1/front (on node node1): a local network's containers share its node");
    assertRefused(call("POST", "/containers/create",
        "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"NetworkMode\":\"front\",\"Links\":[\"lone:l\"]}}"),
        400, "network front is on node1, container lone on node2");
  }

  @Test
  void aNetworkMadeOnTheEngineDirectlyIsFoundAndARestartedManagerPlacesOnIt() throws Exception {
    JsonNode made = JSON.readTree(onNode("node2", "POST", "/v1.41/networks/create", "{\"Name\":\"direct\"}"));
    assertThat(JSON.readTree(call("GET", "/networks/direct", null).body()).path("Id").asText()).as("a lookup that misses asks the nodes")
        .isEqualTo(made.path("Id").asText());
    stopManager();
    startManager();
    JsonNode listed = JSON.readTree(call("GET", "/networks?filters=" + enc("{\"type\":[\"custom\"]}"), null).body());
    assertThat(listed).extracting(n -> n.path("Name").asText()).containsExactly("node2/direct");
    for (int i = 0; i < 3; i++) {
      assertThat(call("POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"NetworkMode\":\"direct\"}}").statusCode())
          .isEqualTo(201);
    }
    assertThat(engines.get("node2").listContainers(true, Map.of())).hasSize(3);
  }

  @Test
  void concurrentCreatesOfOneNameMakeOneNetwork() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/networks/create"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"Name\":\"once\",\"CheckDuplicate\":true}")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (var f : all) statuses.add(f.get().statusCode());
    assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
    nodeOf("once");
  }

  private static void assertRefused(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"message\":").contains(message);
  }

  /** The node whose own engine lists a network of that name; exactly one must. */
  private String nodeOf(String name) throws Exception {
    List<String> holders = new ArrayList<>();
    for (String node : engines.keySet()) {
      for (JsonNode n : onNode(node)) if (n.path("Name").asText().equals(name)) holders.add(node);
    }
    assertThat(holders).as("nodes holding " + name).hasSize(1);
    return holders.get(0);
  }

  /** The node's own engine's networks, asked past the manager. */
  private JsonNode onNode(String node) throws Exception {
    return JSON.readTree(onNode(node, "GET", "/v1.41/networks", null));
  }

  private String onNode(String node, String method, String path, String body) throws Exception {
    return send(servers.get(new ArrayList<>(engines.keySet()).indexOf(node)).port(), method, path, body).body();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return send(endpoint.port(), method, path, body);
  }

  private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.engine.ContainerSpec;
import io.berth.manager.fleet.ContainerCache;
import io.berth.manager.fleet.ContainerStatus;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code docker ps} filters over the cluster: {@code node}, {@code before} and {@code since} applied here, the rest per node. */
class ClusterPsTest extends EndpointOnOneNode {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theClustersFiltersAreTakenOutAndTheRestLeftForTheNodes() {
    ClusterPs ps = ClusterPs.parse("all=1&filters=" + enc("{\"node\":{\"node1\":true},\"before\":[\"web\"],\"label\":{\"a=b\":true}}"));
    assertThat(ps.nodes()).containsExactly("node1");
    assertThat(ps.before()).isEqualTo("web");
    assertThat(ps.since()).isNull();
    assertThat(ps.query()).startsWith("all=1&filters=");
    assertThat(URLDecoder.decode(ps.query(), StandardCharsets.UTF_8)).endsWith("filters={\"label\":{\"a=b\":true}}");
    assertThat(ClusterPs.parse("filters=" + enc("{\"node\":[\"n2\"]}")).query()).as("nothing left to ask").isEmpty();
    assertThat(ClusterPs.parse("filters=" + enc("{not json")).query()).as("left for the engines to refuse").startsWith("filters=");
    assertThatThrownBy(() -> ClusterPs.parse("filters=" + enc("{\"node\":\"n1\"}"))).isInstanceOf(BerthException.Invalid.class);
  }

  @Test
  void psListsOneNodesContainersByNameRegexOrId() throws Exception {
    String a = run("web-a");
    await().atMost(Duration.ofSeconds(10)).until(() -> ids(ps("all=1")).contains(a));
    assertThat(ids(ps("filters=" + enc("{\"node\":{\"node16\":true}}")))).containsExactly(a);
    assertThat(ids(ps("all=1&filters=" + enc("{\"node\":[\"^node1\"]}")))).as("a search, as Swarm matched it").containsExactly(a);
    assertThat(ids(ps("all=1&filters=" + enc("{\"node\":[\"node16-id\"]}")))).as("or the node's id").containsExactly(a);
    assertThat(ids(ps("all=1&filters=" + enc("{\"node\":[\"node2\"]}")))).isEmpty();
    assertThat(ids(ps("all=1&size=1&filters=" + enc("{\"node\":[\"node2\"]}")))).as("asked of no node when the engines answer").isEmpty();
    assertThat(ids(ps("all=1&size=1&filters=" + enc("{\"node\":[\"node16\"]}")))).as("asked of node16 alone").containsExactly(a);
  }

  @Test
  void beforeAndSinceOrderEveryNodesContainersByTheirReferencesCreation() throws Exception {
    Map<Node, List<ContainerCache.Entry>> all = Map.of(NODE, List.of(entry("aaa", "web-a", 1), entry("ccc", "web-c", 3)));
    ClusterPs.Window before = ClusterPs.parse("filters=" + enc("{\"before\":[\"web-c\"]}")).window(all);
    assertThat(before.admits("aaa", nanos(1))).isTrue();
    assertThat(before.admits("bbb", nanos(2))).as("on another node").isTrue();
    assertThat(before.admits("ccc", nanos(3))).as("never the reference itself").isFalse();
    assertThat(before.admits("ddd", nanos(4))).isFalse();
    ClusterPs.Window between = ClusterPs.parse("filters=" + enc("{\"since\":[\"aaa\"],\"before\":[\"n1/web-c\"]}")).window(all);
    assertThat(between.admits("aaa", nanos(1))).isFalse();
    assertThat(between.admits("bbb", nanos(2))).isTrue();
    assertThat(between.admits("ccc", nanos(3))).isFalse();
    assertThat(ClusterPs.parse("").window(all).admits("ddd", 0)).as("no window").isTrue();
  }

  @Test
  void anUnknownReferenceIsDockersNoSuchContainer() throws Exception {
    HttpResponse<String> missing = get("all=1&filters=" + enc("{\"before\":[\"nosuch\"]}"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("No such container: nosuch");
  }

  private static final Node NODE = new Node(NodeName.of("n1"), "n1-id", "127.0.0.1:2375", NodeState.READY, OneNode.FACTS, Map.of(),
      Instant.EPOCH, Instant.EPOCH);

  private static long nanos(int second) {
    return second * 1_000_000_000L + 500;
  }

  private static ContainerCache.Entry entry(String id, String name, int second) throws Exception {
    ObjectNode summary = JSON.createObjectNode().put("Id", id);
    summary.putArray("Names").add("/" + name);
    String created = Instant.ofEpochSecond(second, 500).toString();
    return new ContainerCache.Entry(summary, ContainerStatus.of(JSON.readTree("{\"Created\":\"" + created + "\",\"State\":{}}")));
  }

  private String run(String name) {
    String id = cluster.engine.create(new ContainerSpec(name, "berth/busybox:1", List.of("sleep", "9"), List.of(), Map.of(), 0, 0, Map.of(), ""));
    cluster.engine.start(id);
    return id;
  }

  private JsonNode ps(String query) throws Exception {
    HttpResponse<String> r = get(query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String query) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/containers/json?" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(c -> out.add(c.path("Id").asText()));
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

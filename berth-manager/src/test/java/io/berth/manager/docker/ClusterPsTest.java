package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.ContainerSpec;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker ps} filters over the cluster: {@code node}, {@code before} and {@code since} applied here, the rest per node. */
class ClusterPsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  OneNode cluster;
  Fleet fleet;
  DockerEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    cluster = new OneNode(dir, ticking());
    fleet = Fleet.start(cluster.nodes, null, null);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(List.of(), Strategy.SPREAD, new Random(1)), "test", new TestAccess());
    endpoint = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
    fleet.close();
    cluster.close();
  }

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
    String a = run("web-a");
    String b = run("web-b");
    String c = run("web-c");
    await().atMost(Duration.ofSeconds(10)).until(() -> ids(ps("all=1")).containsAll(List.of(a, b, c)));
    assertThat(ids(ps("all=1&filters=" + enc("{\"before\":[\"web-c\"]}")))).containsExactly(b, a);
    assertThat(ids(ps("all=1&filters=" + enc("{\"since\":[\"web-a\"]}")))).containsExactly(c, b);
    assertThat(ids(ps("all=1&filters=" + enc("{\"since\":[\"web-a\"],\"before\":[\"node16/web-c\"]}")))).containsExactly(b);
    HttpResponse<String> missing = get("all=1&filters=" + enc("{\"before\":[\"nosuch\"]}"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("No such container: nosuch");
  }

  private String run(String name) {
    String id = cluster.engine.create(new ContainerSpec(name, "berth/busybox:1", List.of("sleep", "9"), List.of(), Map.of(), 0, 0, Map.of(), ""));
    cluster.engine.start(id);
    return id;
  }

  /** A clock a second later at every reading: the hollow engine stamps creations to the second, and before/since need them apart. */
  private static Clock ticking() {
    AtomicLong seconds = new AtomicLong(1_800_000_000L);
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(seconds.getAndIncrement());
      }
    };
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

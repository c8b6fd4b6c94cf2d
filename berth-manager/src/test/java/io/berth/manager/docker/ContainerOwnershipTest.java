package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.identity.Action;
import io.berth.core.identity.Permissions;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.engine.ContainerSpec;
import io.berth.engine.FakeEngine;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import io.berth.manager.identity.AuditEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who sees and touches which container, through the Docker endpoint over a hollow engine, callers told apart by their tokens. */
class ContainerOwnershipTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BUSYBOX = "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"sleep\",\"9\"]}";
  @TempDir Path dir;
  final TestAccess access = new TestAccess().user("alice", "tok-alice").user("bob", "tok-bob").user("carol", "tok-carol")
      .member("bob", ResourceKind.APP, "web", Role.REPORTER).member("carol", ResourceKind.APP, "web", Role.DEVELOPER);
  final HttpClient http = HttpClient.newHttpClient();
  OneNode node;
  DockerEndpoint endpoint;
  FakeEngine engine;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    node = new OneNode(dir);
    engine = node.engine;
    Fleet fleet = Fleet.start(node.nodes, null, null);
    closing.add(fleet);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(List.of(), Strategy.SPREAD, new Random(1)), "test", access);
    endpoint = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
    for (AutoCloseable c : closing) c.close();
    node.close();
  }

  @Test
  void aContainerIsItsCreatorsAndOthersCannotSeeIt() throws Exception {
    assertThat(call("alice", "POST", "/containers/create?name=a1", BUSYBOX).statusCode()).isEqualTo(201);
    assertThat(names("alice")).containsExactly("/node16/a1");
    assertThat(names("bob")).isEmpty();
    assertThat(names(null)).as("the local administrator").containsExactly("/node16/a1");
    assertThat(JSON.readTree(call(null, "GET", "/containers/a1/json", null).body()).path("Config").path("Labels").path("io.berth.owner").asText())
        .isEqualTo("alice");
    for (String[] r : new String[][] {{"GET", "/containers/a1/json"}, {"POST", "/containers/a1/start"}, {"DELETE", "/containers/a1"}}) {
      HttpResponse<String> res = call("bob", r[0], r[1], null);
      assertThat(res.statusCode()).as(r[0] + " " + r[1]).isEqualTo(404);
      assertThat(res.body()).contains("No such container: a1");
    }
    assertThat(call("alice", "POST", "/containers/a1/start", null).statusCode()).isEqualTo(204);
    assertThat(call("alice", "DELETE", "/containers/a1?force=1", null).statusCode()).isEqualTo(204);
  }

  @Test
  void anAppsInstanceIsSeenByItsMembersAndWorkedAsTheirRoleAllows() throws Exception {
    String id = engine.create(new ContainerSpec("web-1", "berth/busybox:1", List.of("sleep", "9"), List.of(),
        Map.of("io.berth.domain", "apps", "io.berth.process-guid", "web-v3", "io.berth.instance-guid", "g1"), 0, 0, Map.of(), ""));
    engine.start(id);
    // Made on the engine, not through the manager: listed once its events are read.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> names(null).contains("/node16/web-1"));
    assertThat(names("bob")).containsExactly("/node16/web-1");
    assertThat(names("alice")).isEmpty();
    assertThat(call("bob", "GET", "/containers/web-1/json", null).statusCode()).isEqualTo(200);
    HttpResponse<String> exec = call("bob", "POST", "/containers/web-1/exec", "{\"Cmd\":[\"sh\"]}");
    assertThat(exec.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(exec.body()).path("message").asText())
        .isEqualTo("bob may not exec in container web-1: it belongs to app web, where bob is a reporter (exec needs developer)");
    assertThat(call("bob", "POST", "/containers/web-1/stop", null).statusCode()).isEqualTo(403);
    assertThat(call("carol", "POST", "/containers/web-1/stop", null).statusCode()).isEqualTo(204);
    assertThat(JSON.readTree(call("carol", "DELETE", "/containers/web-1", null).body()).path("message").asText())
        .isEqualTo("carol may not remove container web-1: it belongs to app web, where carol is a developer (deploy needs master)");
    assertThat(call("alice", "GET", "/containers/web-1/logs?stdout=1", null).statusCode()).isEqualTo(404);
  }

  /** Every role on an app (and none) against the Docker calls of each action, as the permission matrix says. */
  @Test
  void everyRoleOnAnAppGetsWhatThePermissionMatrixSays() throws Exception {
    String id = engine.create(new ContainerSpec("shop-1", "berth/busybox:1", List.of("sleep", "9"), List.of(),
        Map.of("io.berth.domain", "apps", "io.berth.process-guid", "shop-v1"), 0, 0, Map.of(), ""));
    engine.start(id);
    // made behind the endpoint's back: the cache learns of it by the engine's events, which may lag under load
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> names(null).contains("/node16/shop-1"));
    // Calls the hollow engine answers without changing the container; one that passes the check may still be a 501 from it.
    Map<Action, String[]> calls = Map.of(Action.READ, new String[] {"GET", "/containers/shop-1/json"},
        Action.EXEC, new String[] {"POST", "/containers/shop-1/pause"},
        Action.DEPLOY, new String[] {"POST", "/containers/shop-1/rename?name=shop-x"});
    for (Role role : Role.values()) access.user("u-" + role.word(), "tok-u-" + role.word()).member("u-" + role.word(), ResourceKind.APP, "shop", role);
    access.user("u-none", "tok-u-none");
    List<String> cells = new ArrayList<>();
    for (String user : List.of("u-owner", "u-master", "u-developer", "u-reporter", "u-guest", "u-none")) {
      Role role = user.equals("u-none") ? null : Role.parse(user.substring(2));
      boolean sees = names(user).contains("/node16/shop-1");
      cells.add(user + " view " + (sees ? "yes" : "no"));
      for (var e : calls.entrySet()) {
        int status = call(user, e.getValue()[0], e.getValue()[1], null).statusCode();
        boolean allowed = Permissions.allows(ResourceKind.APP, role, e.getKey());
        int expected = role == null ? 404 : allowed ? -1 : 403;
        assertThat(expected == -1 ? status != 403 && status != 404 : status == expected)
            .as(user + " " + e.getKey().word() + ": " + status).isTrue();
      }
    }
    assertThat(cells).containsExactly("u-owner view yes", "u-master view yes", "u-developer view yes", "u-reporter view yes",
        "u-guest view yes", "u-none view no");
  }

  @Test
  void aUserMayNotForgeBerthsLabelsNorTakeTheHost() throws Exception {
    HttpResponse<String> forged = call("bob", "POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"Labels\":{\"io.berth.owner\":\"alice\"}}");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("bob may not set the label io.berth.owner: io.berth.* labels are Berth's own");
    HttpResponse<String> privileged = call("bob", "POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"Privileged\":true}}");
    assertThat(privileged.statusCode()).isEqualTo(403);
    assertThat(privileged.body()).contains("bob may not use HostConfig.Privileged");
    assertThat(call("bob", "POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"HostConfig\":{\"Binds\":[\"/:/host\"]}}").body())
        .contains("HostConfig.Binds (/)");
    assertThat(call(null, "POST", "/containers/create", "{\"Image\":\"berth/busybox:1\",\"Labels\":{\"io.berth.owner\":\"alice\"}}").statusCode())
        .as("an administrator creates for alice").isEqualTo(201);
    assertThat(names("alice")).hasSize(1);
  }

  @Test
  void everyMutatingCallIsAuditedWithItsCallerAndOutcome() throws Exception {
    call("alice", "POST", "/containers/create?name=a2", BUSYBOX);
    call("bob", "POST", "/containers/a2/stop", null);
    call("bob", "GET", "/containers/json", null);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> access.audit.size() >= 2);
    assertThat(access.audit).extracting(AuditEntry::user, AuditEntry::via, AuditEntry::action, AuditEntry::target, AuditEntry::status,
        AuditEntry::outcome).containsExactly(
            Tuple.tuple("alice", "token", "docker POST /containers/create", "a2", 201, "ok"),
            Tuple.tuple("bob", "token", "docker POST /containers/{name}/stop", "a2", 404, "failed"));
    assertThat(access.audit.get(0).from()).isEqualTo("127.0.0.1");
  }

  @Test
  void aBadTokenIsRefusedAndAudited() throws Exception {
    HttpResponse<String> res = call("mallory", "POST", "/containers/create", BUSYBOX);
    assertThat(res.statusCode()).isEqualTo(401);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !access.audit.isEmpty());
    assertThat(access.audit).singleElement().extracting(AuditEntry::user, AuditEntry::outcome)
        .containsExactly("anonymous", "denied");
  }

  private List<String> names(String user) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode c : JSON.readTree(call(user, "GET", "/containers/json?all=1", null).body())) out.add(c.path("Names").get(0).asText());
    return out;
  }

  private HttpResponse<String> call(String user, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/v1.41" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    if (user != null) b.header("Authorization", "Bearer tok-" + user);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

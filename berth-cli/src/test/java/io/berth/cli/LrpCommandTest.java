package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrpCommandTest {
  static final String LRP = """
      {"process_guid": "web", "domain": "apps", "rootfs": "docker:///busybox#1", "instances": 2, "ports": [8080],
       "action": {"run": {"path": "/bin/httpd", "args": ["-f"], "user": "root"}}}""";
  static final String DESIRED = """
      {"process_guid": "web", "domain": "apps", "rootfs": "docker:///busybox#1", "instances": 2, "ports": [8080],
       "memory_mb": 64, "action": {"run": {"path": "/bin/httpd", "args": ["-f"], "user": "root"}},
       "modification_tag": {"epoch": "e1", "index": 3}}""";

  static final long THREE_MINUTES_AGO = LrpCommand.nowNanos() - Duration.ofSeconds(200).toNanos();

  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  LrpCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  static String actual(int index, String state, String cell) {
    String ports = state.equals("RUNNING") ? "[{\"container_port\": 8080, \"host_port\": 6100" + index + "}]" : "[]";
    String address = state.equals("RUNNING") ? "10.0.0.1" : "";
    return """
        {"process_guid": "web", "index": %d, "instance_guid": "i-%d", "cell_id": "%s", "domain": "apps", "state": "%s",
         "address": "%s", "ports": %s, "crash_count": 0, "placement_error": "", "since": %d}"""
        .formatted(index, index, cell, state, address, ports, THREE_MINUTES_AGO);
  }

  Path file(String name, String json) throws Exception {
    return Files.writeString(dir.resolve(name), json);
  }

  @Test
  void createPostsTheFileAsWrittenAndPrintsTheGuid() throws Exception {
    api.on("POST /v1/desired_lrps", 201, "");
    FakeApi.Result r = api.ok("lrp", "create", "-f", file("web.json", LRP).toString());
    assertThat(r.out()).isEqualTo("web\n");
    FakeApi.Call call = api.calls("POST", "/v1/desired_lrps").get(0);
    assertThat(call.body()).isEqualTo(LRP);
    assertThat(call.authorization()).isEqualTo("Bearer secret");
    assertThat(call.contentType()).isEqualTo("application/json");
  }

  @Test
  void createReadsStandardInput() {
    api.on("POST /v1/desired_lrps", 201, "");
    FakeApi.Result r = FakeApi.withStdin(LRP, () -> api.berth("lrp", "create", "-f", "-"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.calls("POST", "/v1/desired_lrps").get(0).body()).isEqualTo(LRP);
  }

  @Test
  void createWatchShowsProgressUntilAllRun() throws Exception {
    api.on("POST /v1/desired_lrps", 201, "");
    api.on("GET /v1/actual_lrps/web",
        "[" + actual(0, "UNCLAIMED", "") + "," + actual(1, "UNCLAIMED", "") + "]",
        "[" + actual(0, "RUNNING", "node1") + "," + actual(1, "CLAIMED", "node2") + "]",
        "[" + actual(0, "RUNNING", "node1") + "," + actual(1, "RUNNING", "node2") + "]");
    FakeApi.Result r = api.ok("lrp", "create", "-f", file("web.json", LRP).toString(), "--watch");
    assertThat(r.out()).isEqualTo("""
        web
        web: 0/2 running (2 waiting for a node)
        web: 1/2 running (1 starting)
        web: 2/2 running
        """);
  }

  @Test
  void aBadManifestIsNamedWithItsFileAndNeverSent() throws Exception {
    Path f = file("bad.json", LRP.replace("\"instances\": 2", "\"instances\": \"three\"").replace("\"user\": \"root\"", "\"usr\": \"root\""));
    FakeApi.Result r = api.berth("lrp", "create", "-f", f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth lrp create: " + f + ": instances: expected a number, got \"three\"\n");
    r = api.berth("lrp", "create", "-f", file("worse.json", LRP.replace("\"/bin/httpd\"", "\"\"")).toString());
    assertThat(r.err()).isEqualTo("berth lrp create: " + dir.resolve("worse.json") + ": action.run.path: required\n");
    r = api.berth("lrp", "create", "-f", dir.resolve("none.json").toString());
    assertThat(r.err()).isEqualTo("berth lrp create: cannot read " + dir.resolve("none.json") + ": no such file\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void theManagersErrorIsOneLine() throws Exception {
    api.on("POST /v1/desired_lrps", 409, "{\"name\": \"DesiredLRPExists\", \"message\": \"web already exists\"}");
    FakeApi.Result r = api.berth("lrp", "create", "-f", file("web.json", LRP).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth lrp create: web already exists (HTTP 409)\n");
  }

  @Test
  void listJoinsDesiredWithRunningCounts() {
    api.on("GET /v1/desired_lrps?domain=apps", "[" + DESIRED + "," + DESIRED.replace("\"web\"", "\"worker\"")
        .replace("docker:///busybox#1", "docker://registry.local:5000/team/worker") + "]");
    api.on("GET /v1/actual_lrps?domain=apps", "[" + actual(0, "RUNNING", "node1") + "," + actual(1, "CRASHED", "") + "]");
    FakeApi.Result r = api.ok("lrp", "list", "--domain", "apps");
    assertThat(r.out()).isEqualTo("""
        PROCESS_GUID   DOMAIN   INSTANCES   RUNNING   IMAGE
        web            apps     2           1         busybox:1
        worker         apps     2           0         registry.local:5000/team/worker:latest
        """);
  }

  @Test
  void listJsonIsTheApisAnswer() {
    api.on("GET /v1/desired_lrps", "[" + DESIRED + "]");
    FakeApi.Result r = api.berth("lrp", "list", "--json");
    assertThat(r.out()).contains("\"process_guid\" : \"web\"").contains("\"modification_tag\"");
    assertThat(api.calls("GET", "/v1/actual_lrps")).isEmpty();
  }

  @Test
  void getShowsOneLrp() {
    api.on("GET /v1/desired_lrps/web", DESIRED);
    api.on("GET /v1/actual_lrps/web", "[" + actual(0, "RUNNING", "node1") + "]");
    FakeApi.Result r = api.ok("lrp", "get", "web");
    assertThat(r.out()).contains("PROCESS_GUID       web\n").contains("IMAGE              busybox:1\n")
        .contains("INSTANCES          2 desired, 1 running\n").contains("PORTS              8080\n")
        .contains("MODIFICATION_TAG   e1/3\n");
  }

  @Test
  void anUnknownLrpIsTheManagersNotFound() {
    api.on("GET /v1/desired_lrps/nope", 404, "{\"name\": \"DesiredLRPNotFound\", \"message\": \"no such desired LRP: nope\"}");
    FakeApi.Result r = api.berth("lrp", "get", "nope");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth lrp get: no such desired LRP: nope (HTTP 404)\n");
  }

  @Test
  void instancesIsATableByIndex() {
    api.on("GET /v1/actual_lrps/web", "[" + actual(1, "UNCLAIMED", "").replace("\"placement_error\": \"\"",
        "\"placement_error\": \"2 nodes: not enough memory\"") + "," + actual(0, "RUNNING", "node1") + "]");
    FakeApi.Result r = api.ok("lrp", "instances", "web");
    assertThat(r.out().lines().toList()).hasSize(3);
    assertThat(r.out().lines().toList().get(0)).isEqualTo("INDEX   STATE       CELL    ADDRESS    PORTS         CRASHES   SINCE    PLACEMENT_ERROR");
    assertThat(r.out().lines().toList().get(1)).matches("0       RUNNING     node1   10.0.0.1   61000->8080   0         3m ago   -");
    assertThat(r.out().lines().toList().get(2)).matches("1       UNCLAIMED   -       -          -             0         3m ago   2 nodes: not enough memory");
  }

  @Test
  void instancesWatchRedrawsOnChangeUntilInterrupted() throws Exception {
    api.on("GET /v1/actual_lrps/web", "[" + actual(0, "CLAIMED", "node1") + "]", "[" + actual(0, "CLAIMED", "node1") + "]",
        "[" + actual(0, "RUNNING", "node1") + "]");
    CompletableFuture<FakeApi.Result> run = new CompletableFuture<>();
    Thread t = Thread.ofVirtual().start(() -> run.complete(api.berth("lrp", "instances", "web", "--watch")));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.calls("GET", "/v1/actual_lrps/web").size() >= 4);
    t.interrupt();
    FakeApi.Result r = run.get(10, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    // Two tables: one per change, not per poll.
    assertThat(r.out().lines().filter(l -> l.startsWith("INDEX")).count()).isEqualTo(2);
    assertThat(r.out()).contains("CLAIMED").contains("RUNNING");
  }

  @Test
  void scalePutsTheNewCountAndWatchesItSettle() {
    api.on("PUT /v1/desired_lrps/web", 204, "");
    api.on("GET /v1/actual_lrps/web", "[" + actual(0, "RUNNING", "n") + "," + actual(1, "RUNNING", "n") + "]",
        "[" + actual(0, "RUNNING", "n") + "]");
    FakeApi.Result r = api.ok("lrp", "scale", "web", "1", "--watch");
    assertThat(api.calls("PUT", "/v1/desired_lrps/web").get(0).body()).isEqualTo("{\"instances\":1}");
    assertThat(r.out()).isEqualTo("web: scaled to 1\nweb: 1/1 running (1 stopping)\nweb: 1/1 running\n");
  }

  @Test
  void rmAndKillSendDeletes() {
    api.on("DELETE /v1/desired_lrps/web", 204, "");
    api.on("DELETE /v1/actual_lrps/web/index/2", 204, "");
    assertThat(api.berth("lrp", "rm", "web").out()).isEqualTo("web\n");
    assertThat(api.berth("lrp", "kill", "web", "2").out()).isEqualTo("web/2: killed; it will be started again\n");
    assertThat(api.calls).extracting(FakeApi.Call::method, FakeApi.Call::uri).containsExactly(
        Tuple.tuple("DELETE", "/v1/desired_lrps/web"),
        Tuple.tuple("DELETE", "/v1/actual_lrps/web/index/2"));
  }

  @Test
  void aGuidCannotEscapeItsPathSegment() {
    api.on("DELETE /v1/desired_lrps/..%2Fnodes%3Fx%3D1", 204, "");
    FakeApi.Result r = api.ok("lrp", "rm", "../nodes?x=1");
  }

  @Test
  void usageErrorsExitTwo() {
    FakeApi.Result r = api.usageError("lrp", "scale", "web", "three");
    assertThat(r.err()).startsWith("berth lrp scale: Invalid value for positional parameter at index 1 (N): 'three' is not an int")
        .endsWith("Try 'berth lrp scale --help'.\n");
    assertThat(FakeApi.run("lrp").exit()).isEqualTo(2);
    assertThat(FakeApi.run("lrp").err()).startsWith("berth lrp: missing a command: create, list, get, instances, scale, rm or kill\n");
    assertThat(api.berth("lrp", "create").err()).startsWith("berth lrp create: Missing required option: '--file=FILE|-'");
    assertThat(api.calls).isEmpty();
  }
}

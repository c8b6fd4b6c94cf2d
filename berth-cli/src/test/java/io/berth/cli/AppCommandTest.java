package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppCommandTest {
  static final String MANIFEST = """
      # the hello app
      name: hello
      image: berth/busybox:1
      instances: 3
      routes: [hello.berth.local]
      """;

  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  AppCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  /** An AppStatus of hello whose last rollout is {@code action} to {@code to} from v1. */
  static String status(String action, int to, String phase, int newHealthy, int oldRemaining, String message) {
    return """
        {"name": "hello", "owner": "admin", "created_at": "2026-12-01T21:00:00Z", "router_group": "default",
         "routes": ["hello.berth.local"], "instances": 3, "latest_version": 2,
         "versions": [
           {"version": 1, "process_guid": "hello-v1", "image": "berth/busybox:1", "instances": %d, "routed": %d, "running": %d},
           {"version": 2, "process_guid": "hello-v2", "image": "berth/busybox:2", "instances": 3, "routed": %d, "running": %d}],
         "rollout": {"action": "%s", "strategy": "rolling", "from": [1], "to": %d, "target": 3, "phase": "%s",
                     "message": "%s", "new_healthy": %d, "old_remaining": %d, "user": "admin",
                     "started_at": "2026-12-01T21:05:00Z", "finished_at": null}}"""
        .formatted(oldRemaining, oldRemaining, oldRemaining, newHealthy, newHealthy, action, to, phase, message, newHealthy, oldRemaining);
  }

  static String rolling(int newHealthy, int oldRemaining) {
    return status("deploy", 2, "progressing", newHealthy, oldRemaining,
        newHealthy + " of 3 new instances healthy, " + oldRemaining + " old remaining");
  }

  Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void deployPostsTheManifestAsWrittenAndFollowsTheRolloutToItsEnd() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", rolling(1, 2), rolling(1, 2), rolling(2, 1),
        status("deploy", 2, "succeeded", 3, 0, "3 of 3 new instances healthy"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        hello v2 (rolling): 0/3 new healthy, 3 old remaining
        hello v2 (rolling): 1/3 new healthy, 2 old remaining
        hello v2 (rolling): 2/3 new healthy, 1 old remaining
        hello v2 deployed: 3 instances healthy
        """);
    FakeApi.Call post = api.calls("POST", "/v1/apps").get(0);
    assertThat(post.body()).isEqualTo(MANIFEST);
    assertThat(post.contentType()).isEqualTo("application/yaml");
    assertThat(post.authorization()).isEqualTo("Bearer secret");
    assertThat(api.calls("GET", "/v1/apps/hello")).hasSize(4);
  }

  @Test
  void aFailedRolloutExitsOneWithItsMessageAndTheVersionItWentBackTo() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", rolling(1, 2),
        status("deploy", 2, "failed", 1, 3, "hello-v2/1 crashed 3 times: exit status 1"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("""
        hello v2 (rolling): 0/3 new healthy, 3 old remaining
        hello v2 (rolling): 1/3 new healthy, 2 old remaining
        """);
    assertThat(r.err()).isEqualTo("berth app deploy: hello v2 failed: hello-v2/1 crashed 3 times: exit status 1 — rolled back to v1\n");
  }

  @Test
  void aCanaryStopsTheWatchWithWhatToDoNext() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "progressing", 0, 3, "starting 1 canary")
        .replace("\"rolling\"", "\"canary\"").replace("\"target\": 3", "\"target\": 1"));
    api.on("GET /v1/apps/hello", status("deploy", 2, "canary", 1, 3, "1 canary healthy; waiting for promote or abort")
        .replace("\"rolling\"", "\"canary\"").replace("\"target\": 3", "\"target\": 1"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        hello v2 (canary): starting 1 canary
        hello v2: 1 canary running beside v1; berth app promote hello | berth app abort hello
        """);
  }

  @Test
  void imageReplacesTheManifestsImageAndIsSentAsJson() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString(), "--image", "berth/busybox:2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello v2 deployed: 3 instances healthy\n");
    FakeApi.Call post = api.calls("POST", "/v1/apps").get(0);
    assertThat(post.contentType()).isEqualTo("application/json");
    assertThat(Json.MAPPER.readTree(post.body())).isEqualTo(Json.MAPPER.readTree("""
        {"name": "hello", "image": "berth/busybox:2", "instances": 3, "routes": ["hello.berth.local"]}"""));
    // The rollout had ended in the manager's first answer: nothing to poll.
    assertThat(api.calls("GET", "/v1/apps/hello")).isEmpty();
  }

  @Test
  void aManifestOfOnlyNameAndImageIsSentForTheManagerToComplete() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    Path f = file("image.yml", "name: hello\nimage: berth/busybox:1\n");
    FakeApi.Result r = api.berth("app", "deploy", "-f", f.toString(), "--image", "berth/busybox:2", "--detach");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello v2 (rolling): 0/3 new healthy, 3 old remaining; berth app status hello\n");
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo("{\"name\":\"hello\",\"image\":\"berth/busybox:2\"}");
    assertThat(api.calls("GET", "/v1/apps/hello")).isEmpty();
  }

  @Test
  void deployReadsStandardInput() {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    var stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream(MANIFEST.getBytes(StandardCharsets.UTF_8)));
      FakeApi.Result r = api.berth("app", "deploy", "-f", "-");
      assertThat(r.exit()).as(r.err()).isZero();
    } finally {
      System.setIn(stdin);
    }
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo(MANIFEST);
  }

  @Test
  void dryRunOnlyHasTheManagerCheckIt() throws Exception {
    api.on("POST /v1/apps?dry_run=true", 200, rolling(0, 3));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString(), "--dry-run");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("manifest ok: hello, image berth/busybox:1\n");
    assertThat(api.calls).extracting(FakeApi.Call::uri).containsExactly("/v1/apps?dry_run=true");
  }

  @Test
  void theManagersErrorIsOneLine() throws Exception {
    api.on("POST /v1/apps", 400, "{\"name\": \"InvalidManifest\", \"message\": \"instances: expected a number, got \\\"three\\\"\"}");
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST.replace("3", "three")).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("berth app deploy: instances: expected a number, got \"three\" (HTTP 400)\n");
    api.on("GET /v1/apps/nope", 404, "{\"name\": \"AppNotFound\", \"message\": \"no such app: nope\"}");
    assertThat(api.berth("app", "status", "nope").err()).isEqualTo("berth app status: no such app: nope (HTTP 404)\n");
  }

  @Test
  void whatCannotBeAManifestIsNamedWithItsFileAndNeverSent() throws Exception {
    Path none = dir.resolve("none.yml");
    assertThat(api.berth("app", "deploy", "-f", none.toString()).err()).isEqualTo("berth app deploy: cannot read " + none + ": no such file\n");
    Path bad = file("bad.yml", "name: hello\nimage: [berth/busybox:1\n");
    FakeApi.Result r = api.berth("app", "deploy", "-f", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("berth app deploy: " + bad + ": not valid YAML: line 3, column 1: ").doesNotContain("\n\t").hasLineCount(1);
    Path json = file("bad.json", "{\"name\": \"hello\",\n\t\"image\": }");
    assertThat(api.berth("app", "deploy", "-f", json.toString()).err()).startsWith("berth app deploy: " + json + ": not valid JSON: line 2, column ")
        .hasLineCount(1);
    Path nameless = file("nameless.yml", "image: berth/busybox:1\n");
    assertThat(api.berth("app", "deploy", "-f", nameless.toString()).err()).isEqualTo("berth app deploy: " + nameless + ": name: required\n");
    Path twice = file("twice.yml", "name: hello\nname: world\n");
    assertThat(api.berth("app", "deploy", "-f", twice.toString()).err())
        .isEqualTo("berth app deploy: " + twice + ": not valid YAML: line 2, column 5: Duplicate field 'name'\n");
    Path listName = file("listname.yml", "name: [hello]\n");
    assertThat(api.berth("app", "deploy", "-f", listName.toString()).err())
        .isEqualTo("berth app deploy: " + listName + ": name: expected text, got [\"hello\"]\n");
    Path list = file("list.yml", "- name: hello\n");
    assertThat(api.berth("app", "deploy", "-f", list.toString()).err())
        .isEqualTo("berth app deploy: " + list + ": an app manifest is a mapping of fields (name:, image: …), not a list\n");
    Path empty = file("empty.yml", "# nothing yet\n");
    assertThat(api.berth("app", "deploy", "-f", empty.toString()).err())
        .isEqualTo("berth app deploy: " + empty + ": empty; an app manifest has at least name: and image:\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aManifestInJsonWithTabsIsSentAsJson() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    String json = "{\n\t\"name\": \"hello\",\n\t\"image\": \"berth/busybox:1\"\n}\n";
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.json", json).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.calls("POST", "/v1/apps").get(0).contentType()).isEqualTo("application/json");
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo(json);
  }

  @Test
  void lsIsATableOfTheApps() {
    api.on("GET /v1/apps", "[" + rolling(2, 1) + "," + status("deploy", 2, "succeeded", 3, 0, "").replace("\"hello", "\"world")
        .replace("\"routes\": [\"world.berth.local\"]", "\"routes\": []").replace("\"rollout\": {", "\"rollout\": null, \"x\": {") + "]");
    FakeApi.Result r = api.berth("app", "ls");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAME    VERSION   INSTANCES   HEALTHY   ROUTES              ROLLOUT
        hello   v2        3           3         hello.berth.local   deploy v2 progressing
        world   v2        3           3         -                   -
        """);
  }

  @Test
  void readCommandsPrintTheApisJsonWithJson() throws Exception {
    api.on("GET /v1/apps", "[" + rolling(2, 1) + "]");
    api.on("GET /v1/apps/hello", rolling(2, 1));
    api.on("GET /v1/apps/hello/instances", "[]");
    api.on("GET /v1/apps/hello/versions", "[]");
    api.on("GET /v1/apps/hello/events", "[]");
    assertThat(api.berth("app", "ls", "--json").out()).contains("\"latest_version\" : 2");
    FakeApi.Result r = api.berth("app", "status", "hello", "--json");
    assertThat(Json.MAPPER.readTree(r.out())).isEqualTo(Json.MAPPER.readTree(rolling(2, 1)));
    assertThat(api.berth("app", "ps", "hello", "--json").out()).isEqualTo("[ ]\n");
    assertThat(api.berth("app", "history", "hello", "--json").out()).isEqualTo("[ ]\n");
    assertThat(api.berth("app", "events", "hello", "--json").out()).isEqualTo("[ ]\n");
  }

  @Test
  void statusShowsTheVersionsAndTheLastRollout() {
    api.on("GET /v1/apps/hello", rolling(2, 1));
    FakeApi.Result r = api.berth("app", "status", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAME           hello
        OWNER          admin
        CREATED        2026-12-01T21:00:00Z
        ROUTER_GROUP   default
        ROUTES         hello.berth.local
        INSTANCES      3 desired, 3 healthy
        LATEST         v2

        VERSION   IMAGE             INSTANCES   ROUTED   RUNNING
        v1        berth/busybox:1   1           1        1
        v2        berth/busybox:2   3           2        2

        ROLLOUT    deploy v2 (rolling) from v1 by admin
        PHASE      progressing
        MESSAGE    2 of 3 new instances healthy, 1 old remaining
        STARTED    2026-12-01T21:05:00Z
        FINISHED   -
        """);
  }

  @Test
  void psIsATableOfInstances() {
    String since = Instant.now().minusSeconds(200).toString();
    api.on("GET /v1/apps/hello/instances", """
        [{"version": 1, "process_guid": "hello-v1", "index": 0, "instance_guid": "i-1", "state": "running", "node": "node1",
          "address": "10.0.0.1", "ports": [{"container_port": 8080, "host_port": 61000}], "since": "%s",
          "crash_count": 0, "crash_reason": "", "routed": true},
         {"version": 2, "process_guid": "hello-v2", "index": 0, "instance_guid": "i-2", "state": "crashed", "node": "node2",
          "address": "", "ports": [], "since": "%s", "crash_count": 2, "crash_reason": "exit status 1", "routed": false}]"""
        .formatted(since, since));
    FakeApi.Result r = api.berth("app", "ps", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        VERSION   INDEX   STATE     NODE    ADDRESS          ROUTED   SINCE    CRASHES
        v1        0       running   node1   10.0.0.1:61000   yes      3m ago   0
        v2        0       crashed   node2   -                no       3m ago   2 (exit status 1)
        """);
  }

  @Test
  void historyListsEveryVersion() {
    api.on("GET /v1/apps/hello/versions", """
        [{"app": "hello", "version": 1, "process_guid": "hello-v1", "image": "berth/busybox:1", "manifest": {},
          "deployed_by": "admin", "deployed_at": "2026-12-01T21:00:00Z", "note": "", "active": false},
         {"app": "hello", "version": 2, "process_guid": "hello-v2", "image": "berth/busybox:2", "manifest": {},
          "deployed_by": "admin", "deployed_at": "2026-12-01T21:05:00Z", "note": "image only", "active": true}]""");
    assertThat(api.berth("app", "history", "hello").out()).isEqualTo("""
        VERSION   IMAGE             DEPLOYED-BY   DEPLOYED-AT            ACTIVE   NOTE
        v1        berth/busybox:1   admin         2026-12-01T21:00:00Z   no       -
        v2        berth/busybox:2   admin         2026-12-01T21:05:00Z   yes      image only
        """);
  }

  @Test
  void eventsAsksForTheLimitGiven() {
    api.on("GET /v1/apps/hello/events?limit=2", """
        [{"time": "2026-12-01T21:05:00Z", "app": "hello", "action": "deploy", "user": "admin", "version": 2,
          "outcome": "started", "message": "rolling to v2"},
         {"time": "2026-12-01T21:06:00Z", "app": "hello", "action": "remove", "user": "admin", "version": null,
          "outcome": "refused", "message": "a rollout is in progress"}]""");
    FakeApi.Result r = api.berth("app", "events", "hello", "--limit", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        TIME                   ACTION   VERSION   USER    OUTCOME   MESSAGE
        2026-12-01T21:05:00Z   deploy   v2        admin   started   rolling to v2
        2026-12-01T21:06:00Z   remove   -         admin   refused   a rollout is in progress
        """);
    assertThat(api.berth("app", "events", "hello", "--limit", "0").exit()).isEqualTo(2);
  }

  @Test
  void logsStreamsTheBodyAsItArrives() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    api.handle("GET /v1/apps/hello/logs?follow=true&tail=10", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("[v2/0] listening on :8080\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        // The second line comes only once the first has been printed: the body is not read to its end first.
        firstSeen.await(10, TimeUnit.SECONDS);
        out.write("[v2/1] GET / 200 — ok\n".getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "app", "logs", "hello", "-f", "--tail", "10", "--api", api.url(), "--token", "secret"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("listening"));
    assertThat(exit).isNotDone();
    firstSeen.countDown();
    assertThat(exit.get(10, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("[v2/0] listening on :8080\n[v2/1] GET / 200 — ok\n");
  }

  @Test
  void logsWithoutFollowAndItsErrors() {
    api.on("GET /v1/apps/hello/logs", "[v1/0] hi\n");
    assertThat(api.berth("app", "logs", "hello").out()).isEqualTo("[v1/0] hi\n");
    api.on("GET /v1/apps/nope/logs", 404, "{\"name\": \"AppNotFound\", \"message\": \"no such app: nope\"}");
    FakeApi.Result r = api.berth("app", "logs", "nope");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth app logs: no such app: nope (HTTP 404)\n");
  }

  @Test
  void scalePostsTheCountAndFollowsIt() {
    api.on("POST /v1/apps/hello/scale", status("scale", 2, "progressing", 3, 0, "3 of 5 instances healthy")
        .replace("\"target\": 3", "\"target\": 5").replace("\"from\": [1]", "\"from\": [2]"));
    api.on("GET /v1/apps/hello", status("scale", 2, "succeeded", 5, 0, "").replace("\"from\": [1]", "\"from\": [2]"));
    FakeApi.Result r = api.berth("app", "scale", "hello", "5");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.calls("POST", "/v1/apps/hello/scale").get(0).body()).isEqualTo("{\"instances\":5}");
    assertThat(r.out()).isEqualTo("hello v2 (scale): 3/5 healthy\nhello v2 scaled: 5 instances healthy\n");
    assertThat(api.berth("app", "scale", "hello", "-1").exit()).isEqualTo(2);
  }

  @Test
  void rollbackSendsTheVersionAskedFor() {
    String back = status("rollback", 1, "progressing", 1, 2, "").replace("\"from\": [1]", "\"from\": [2]");
    api.on("POST /v1/apps/hello/rollback", back);
    api.on("GET /v1/apps/hello", status("rollback", 1, "succeeded", 3, 0, "").replace("\"from\": [1]", "\"from\": [2]"));
    FakeApi.Result r = api.berth("app", "rollback", "hello", "--to", "v2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello v1 (rollback): 1/3 new healthy, 2 old remaining\nhello rolled back to v1: 3 instances healthy\n");
    assertThat(api.berth("app", "rollback", "hello", "--to", "3", "--detach").exit()).isZero();
    assertThat(api.berth("app", "rollback", "hello", "-d").exit()).isZero();
    assertThat(api.calls("POST", "/v1/apps/hello/rollback")).extracting(FakeApi.Call::body)
        .containsExactly("{\"to\":2}", "{\"to\":3}", "{}");
    FakeApi.Result bad = api.berth("app", "rollback", "hello", "--to", "latest");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("berth app rollback: Invalid value for option '--to': a version is v1, v2 … (or 1, 2 …), not 'latest'");
  }

  @Test
  void promoteFollowsTheRestOfTheRollout() {
    api.on("POST /v1/apps/hello/promote", status("promote", 2, "progressing", 1, 2, ""));
    api.on("GET /v1/apps/hello", status("promote", 2, "progressing", 2, 1, ""), status("promote", 2, "succeeded", 3, 0, ""));
    FakeApi.Result r = api.berth("app", "promote", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        hello v2 (promote): 1/3 new healthy, 2 old remaining
        hello v2 (promote): 2/3 new healthy, 1 old remaining
        hello v2 deployed: 3 instances healthy
        """);
    assertThat(api.calls("POST", "/v1/apps/hello/promote").get(0).body()).isEmpty();
    api.on("POST /v1/apps/hello/promote", 409, "{\"name\": \"NoCanary\", \"message\": \"hello has no canary waiting\"}");
    assertThat(api.berth("app", "promote", "hello").err()).isEqualTo("berth app promote: hello has no canary waiting (HTTP 409)\n");
  }

  @Test
  void abortEndsWellWhenTheRolloutIsAborted() {
    api.on("POST /v1/apps/hello/abort", status("deploy", 2, "canary", 1, 3, ""));
    api.on("GET /v1/apps/hello", status("deploy", 2, "aborted", 0, 3, "aborted by admin; v1 serves"));
    FakeApi.Result r = api.berth("app", "abort", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello v2 (rolling): 1/3 new healthy, 3 old remaining\nhello v2 aborted: aborted by admin; v1 serves\n");
  }

  @Test
  void aDeployAbortedByAnotherExitsOne() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", status("deploy", 2, "aborted", 0, 3, "aborted by admin"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth app deploy: hello v2 aborted: aborted by admin\n");
  }

  @Test
  void rmDeletesTheApp() {
    api.on("DELETE /v1/apps/hello", 204, "");
    FakeApi.Result r = api.berth("app", "rm", "hello");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("removed app hello\n");
    assertThat(api.calls("DELETE", "/v1/apps/hello")).hasSize(1);
  }

  @Test
  void aNameCannotEscapeItsPathSegment() {
    api.on("DELETE /v1/apps/..%2Fusers", 204, "");
    assertThat(api.berth("app", "rm", "../users").exit()).isZero();
  }

  @Test
  void usageErrorsExitTwo() {
    FakeApi.Result r = FakeApi.run("app");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("berth app: missing a command: deploy, ls, status, ps, history, events, logs, scale, rollback, promote, abort or rm\n");
    assertThat(api.berth("app", "deploy").err()).startsWith("berth app deploy: Missing required option: '--file=FILE|-'");
    assertThat(api.berth("app", "deploy", "-f", "x.yml", "--imgae", "b").err()).startsWith("berth app deploy: Unknown options: '--imgae', 'b'\n");
    assertThat(api.berth("app", "status").exit()).isEqualTo(2);
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aQuietRolloutRepeatsItsLineWithTheSecondsWaited() {
    RolloutProgress p = new RolloutProgress(false, 0);
    JsonNode s = tree(rolling(1, 2));
    long second = Duration.ofSeconds(1).toNanos();
    assertThat(p.line(s, 0)).isEqualTo("hello v2 (rolling): 1/3 new healthy, 2 old remaining");
    assertThat(p.line(s, 4 * second)).isNull();
    assertThat(p.line(s, 5 * second)).isEqualTo("hello v2 (rolling): 1/3 new healthy, 2 old remaining (5s)");
    assertThat(p.line(s, 9 * second)).isNull();
    assertThat(p.line(tree(rolling(2, 1)), 9 * second)).isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining");
    assertThat(p.line(tree(rolling(2, 1)), 14 * second)).endsWith(" (14s)");
  }

  @Test
  void theManagersMessageIsShownWhenItSaysMoreThanTheCounts() {
    assertThat(RolloutProgress.progress(tree(rolling(2, 1)))).isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining");
    assertThat(RolloutProgress.progress(tree(status("deploy", 2, "progressing", 2, 1, "hello-v2/2 waits for a node: 2 nodes: not enough memory"))))
        .isEqualTo("hello v2 (rolling): 2/3 new healthy, 1 old remaining — hello-v2/2 waits for a node: 2 nodes: not enough memory");
    assertThat(RolloutProgress.progress(tree(status("deploy", 2, "progressing", 2, 1, "waiting for health checks"))))
        .endsWith("1 old remaining — waiting for health checks");
  }

  @Test
  void aFirstVersionHasNoOldOnes() {
    JsonNode first = tree(status("deploy", 1, "progressing", 1, 0, "").replace("\"from\": [1]", "\"from\": []"));
    assertThat(RolloutProgress.progress(first)).isEqualTo("hello v1 (rolling): 1/3 healthy");
    JsonNode failed = tree(status("deploy", 1, "failed", 0, 0, "no node has 8 GB free").replace("\"from\": [1]", "\"from\": []"));
    assertThat(new RolloutProgress(false, 0).end(failed)).isEqualTo(new RolloutProgress.End(1, "hello v1 failed: no node has 8 GB free"));
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

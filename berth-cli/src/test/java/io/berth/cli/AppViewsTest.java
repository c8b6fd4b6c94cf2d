package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AppViewsTest extends AppFixture {
  AppViewsTest() throws Exception {}

  @Test
  void lsIsATableOfTheApps() {
    api.on("GET /v1/apps", "[" + rolling(2, 1) + "," + status("deploy", 2, "succeeded", 3, 0, "").replace("\"hello", "\"world")
        .replace("\"routes\": [\"world.berth.local\"]", "\"routes\": []").replace("\"rollout\": {", "\"rollout\": null, \"x\": {") + "]");
    FakeApi.Result r = api.ok("app", "ls");
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
    FakeApi.Result r = api.ok("app", "status", "hello");
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
    FakeApi.Result r = api.ok("app", "ps", "hello");
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
    FakeApi.Result r = api.ok("app", "events", "hello", "--limit", "2");
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
}

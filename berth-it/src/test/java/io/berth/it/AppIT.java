package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Apps on a real three-node cluster (nodes 24-26, etcd, the berth jar as manager and agents: the
 * {@link EtcdCluster} it shares) with a router and Debian's nginx, driven through the berth CLI with
 * requests flowing through nginx the whole time: a deploy serves by Host, a rolling deploy, a
 * canary with promote, a scale down and up, a failing version that rolls back by itself, and a
 * manager killed mid-deploy — none of them may fail a single request.
 */
@EtcdCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppIT {
  static Cluster cluster;
  static Path dir;
  static BerthProcess router;
  static ManagerApi api;
  static int routerPort;
  static final String ROUTER_IP = "127.0.0.1";

  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www && echo $BERTH_APP_VERSION $GREETING $INSTANCE_INDEX > /www/index.html && echo serving $BERTH_APP_VERSION && exec httpd -f -p 8080 -h /www"]
      instances: 3
      memory: 32m
      env: {GREETING: hi}
      ports: [8080]
      health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}
      routes: [hello.berth.local]
      deploy: {strategy: rolling, max_surge: 1, max_unavailable: 0, min_healthy: 1s}
      """;

  @BeforeAll
  static void startRouter(Cluster c) throws Exception {
    cluster = c;
    for (LocalEngine e : c.engines()) {
      DockerCli.run("unix://" + e.socket(), List.of(), null, "tag", "berth/busybox:1", "berth/busybox:2");
    }
    dir = Files.createTempDirectory("berth-app-it");
    api = c.api();
    routerPort = Ports.free();
    router = BerthProcess.start("router", dir, "router", "--manager", c.apiUrl(), "--token", c.adminToken(),
        "--group", "default", "--listen", ROUTER_IP + ":" + routerPort, "--data", dir.resolve("router").toString());
    router.awaitLine("berth router ready", Duration.ofSeconds(30));
  }

  /** What this class made on the shared cluster: the app (when a test failed before removing it), the router, the tag. */
  @AfterAll
  static void stopRouter() throws Exception {
    if (cluster.manager().isAlive() && api.get("/v1/apps/hello") != null) berth("app", "rm", "hello");
    if (router != null) router.close();
    for (LocalEngine e : cluster.engines()) DockerCli.run("unix://" + e.socket(), List.of(), null, "rmi", "berth/busybox:2");
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(180), args);
  }

  static Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  static String get(String host) {
    return HostLoad.once(ROUTER_IP, routerPort, host);
  }

  static HostLoad load() {
    return new HostLoad(ROUTER_IP, routerPort, "hello.berth.local", 4);
  }

  static void assertNoFailure(HostLoad load, String during) {
    assertThat(load.failed()).as("failed requests during %s (first: %s); %d served", during, load.firstFailure(), load.ok())
        .isZero();
    assertThat(load.ok()).as("requests served during %s", during).isGreaterThan(50);
  }

  /** This class's router in {@code /v1/routers}: other classes on the shared cluster run routers of their own. */
  static JsonNode ourRouter() {
    for (JsonNode r : api.get("/v1/routers")) if (r.path("listen").asText().equals(ROUTER_IP + ":" + routerPort)) return r;
    throw new AssertionError("no router listening on " + ROUTER_IP + ":" + routerPort + " in " + api.get("/v1/routers"));
  }

  /** Every answer now comes from {@code version}. */
  static void allServedBy(String version) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (int i = 0; i < 12; i++) assertThat(get("hello.berth.local")).startsWith("200 " + version + " ");
    });
  }

  @Test
  @Order(1)
  void aDeployedAppServesByHostThroughNginx() throws Exception {
    assertThat(get("nobody.berth.local")).startsWith("404 ").contains("no app serves this host");
    BerthProcess.Result r = berth("app", "deploy", "-f", file("hello.yml", HELLO).toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("hello v1");
    allServedBy("v1");
    assertThat(get("hello.berth.local")).matches("(?s)200 v1 hi [0-2]\\n");
    JsonNode app = api.get("/v1/apps/hello");
    assertThat(app.path("versions").get(0).path("running").asInt()).isEqualTo(3);
    assertThat(berth("app", "ps", "hello").out().lines().filter(l -> l.contains("RUNNING")).count()).isEqualTo(3);
    BerthProcess.Result logs = berth("app", "logs", "hello");
    assertThat(logs.out().lines().filter(l -> l.matches("\\[v1/[0-2]] .*serving v1")).count()).as(logs.out()).isEqualTo(3);
    assertThat(ourRouter().path("instances")).hasSize(3);
  }

  @Test
  @Order(2)
  void aRollingDeployOfANewImageFailsNoRequest() throws Exception {
    BerthProcess.Result r;
    try (HostLoad load = load()) {
      r = berth("app", "deploy", "-f", file("hello.yml", HELLO).toString(), "--image", "berth/busybox:2");
      Thread.sleep(500);
      load.close();
      assertNoFailure(load, "a rolling deploy");
      assertThat(load.served("v2")).isPositive();
    }
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("hello v2");
    allServedBy("v2");
    JsonNode history = api.get("/v1/apps/hello/versions");
    assertThat(history).hasSize(2);
    assertThat(history.get(1).path("image").asText()).isEqualTo("berth/busybox:2");
    assertThat(history.get(1).path("deployed_by").asText()).isEqualTo("admin");
  }

  @Test
  @Order(3)
  void aCanaryServesBesideTheOldVersionUntilPromoted() throws Exception {
    Path canary = file("canary.yml", "name: hello\nimage: berth/busybox:1\ndeploy: {strategy: canary, canaries: 1, max_surge: 1, max_unavailable: 0}\n");
    try (HostLoad load = load()) {
      BerthProcess.Result r = berth("app", "deploy", "-f", canary.toString());
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("canary");
      await().atMost(Duration.ofSeconds(10)).until(() -> load.served("v3") > 0 && load.served("v2") > 0);
      assertThat(api.get("/v1/apps/hello").path("rollout").path("phase").asText()).isEqualTo("canary");
      r = berth("app", "promote", "hello");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      Thread.sleep(500);
      load.close();
      assertNoFailure(load, "a canary and its promotion");
    }
    allServedBy("v3");
  }

  @Test
  @Order(4)
  void scalingDownAndUpFailsNoRequest() throws Exception {
    try (HostLoad load = load()) {
      BerthProcess.Result r = berth("app", "scale", "hello", "1");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(api.get("/v1/apps/hello").path("versions").get(0).path("instances").asInt()).isEqualTo(1);
      r = berth("app", "scale", "hello", "3");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      Thread.sleep(500);
      load.close();
      assertNoFailure(load, "a scale from 3 to 1 and back");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ourRouter().path("instances").size() == 3);
  }

  @Test
  @Order(5)
  void aVersionThatNeverTurnsHealthyRollsBackByItself() throws Exception {
    Path broken = file("broken.yml", """
        name: hello
        image: berth/busybox:2
        health: {http: /missing, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 3s}
        """);
    BerthProcess.Result r;
    try (HostLoad load = load()) {
      r = berth("app", "deploy", "-f", broken.toString());
      load.close();
      assertNoFailure(load, "a failed deploy and its rollback");
      assertThat(load.served("v4")).isZero();
    }
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out() + r.err()).contains("rolled back to v3");
    JsonNode app = api.get("/v1/apps/hello");
    assertThat(app.path("rollout").path("phase").asText()).isEqualTo("failed");
    await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/v1/apps/hello").path("versions").size() == 1);
    JsonNode events = api.get("/v1/apps/hello/events");
    assertThat(events.get(events.size() - 1).path("outcome").asText()).isEqualTo("failed");
    allServedBy("v3");
  }

  @Test
  @Order(6)
  void aDeployGoesOnAfterTheManagerIsKilledAndTheRouterKeepsServing() throws Exception {
    try (HostLoad load = load()) {
      BerthProcess.Result r = berth("app", "deploy", "-f", file("hello.yml", HELLO).toString(), "--detach");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        JsonNode a = api.get("/v1/apps/hello");
        return a != null && a.path("versions").size() == 2;
      });
      cluster.killManager();
      Thread.sleep(2000); // the router has lost its manager: it keeps the routes it has
      assertThat(get("hello.berth.local")).startsWith("200 ");
      cluster.startManager();
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        JsonNode a = api.get("/v1/apps/hello");
        return a != null && a.path("rollout").path("phase").asText().equals("succeeded") && a.path("rollout").path("to").asInt() == 5;
      });
      Thread.sleep(500);
      load.close();
      assertNoFailure(load, "a deploy across a manager restart");
    }
    allServedBy("v5");
  }

  @Test
  @Order(7)
  void mistakesAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
    BerthProcess.Result r = berth("app", "deploy", "-f", file("typo.yml", HELLO.replace("instances: 3", "replicas: 3")).toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.out() + r.err()).contains("unknown field 'replicas' (line 4)");
    r = berth("app", "deploy", "-f", file("taken.yml", HELLO.replace("name: hello", "name: other")).toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.out() + r.err()).contains("hello.berth.local is served by app hello");
    r = berth("app", "deploy", "-f", file("noimage.yml", "name: hello\nimage: berth/nothing:9\n").toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.out() + r.err()).contains("image: berth/nothing:9 is on no node");
    assertThat(api.get("/v1/apps/hello/versions")).hasSize(5);
    assertThat(api.get("/v1/apps/other")).isNull();
  }

  @Test
  @Order(8)
  void removingTheAppStopsItsInstancesAndItsRoute() throws Exception {
    BerthProcess.Result r = berth("app", "rm", "hello");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/apps/hello") == null);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("hello.berth.local")).startsWith("404 "));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (LocalEngine e : cluster.engines()) {
        assertThat(DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=io.berth.process-guid")
            .out().trim()).isEmpty();
      }
    });
  }
}

package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import io.berth.store.EtcdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Apps on a real three-node cluster (nodes 27-29, etcd, the berth jar as manager, agents and
 * router, Debian's nginx), driven through the berth CLI with requests flowing through nginx the
 * whole time: a deploy serves by Host, a rolling deploy, a canary with promote, a scale down and
 * up, a failing version that rolls back by itself, and a manager killed mid-deploy — none of them
 * may fail a single request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppIT {
  static LocalEngines engines;
  static EtcdProcess etcd;
  static Path dir;
  static BerthProcess manager;
  static BerthProcess router;
  static final List<BerthProcess> agents = new ArrayList<>();
  static ManagerApi api;
  static int apiPort;
  static int clusterPort;
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
  static void startCluster() throws Exception {
    engines = LocalEngines.builder().nodes(3).firstNode(27).start();
    for (LocalEngine e : engines.engines()) {
      DockerCli.run("unix://" + e.socket(), List.of(), null, "tag", "berth/busybox:1", "berth/busybox:2");
    }
    etcd = EtcdProcess.start();
    dir = Files.createTempDirectory("berth-app-it");
    apiPort = Ports.free();
    clusterPort = Ports.free();
    routerPort = Ports.free();
    manager = startManager();
    api = new ManagerApi("http://127.0.0.1:" + apiPort, dir.resolve("manager"));
    String join = BerthProcess.run(Duration.ofSeconds(30), "join-token", "--data", dir.resolve("manager").toString()).out().trim();
    for (LocalEngine e : engines.engines()) {
      agents.add(BerthProcess.start("agent-" + e.name(), dir, "join", "--manager", "127.0.0.1:" + clusterPort, "--token", join,
          "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(),
          "--data", dir.resolve("agent-" + e.name()).toString()));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> api.countNodes(n -> n.path("state").asText().equals("ready")) == 3);
    String admin = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
    router = BerthProcess.start("router", dir, "router", "--manager", "http://127.0.0.1:" + apiPort, "--token", admin,
        "--group", "default", "--listen", ROUTER_IP + ":" + routerPort, "--data", dir.resolve("router").toString());
    router.awaitLine("berth router ready", Duration.ofSeconds(30));
  }

  static BerthProcess startManager() throws Exception {
    BerthProcess m = BerthProcess.start("manager", dir, "manage", "--store", etcd.url(), "--data", dir.resolve("manager").toString(),
        "--api-addr", "127.0.0.1:" + apiPort, "--cluster-addr", "127.0.0.1:" + clusterPort, "--docker-addr", "127.0.0.1:" + Ports.free(),
        "--node-ttl", "4s", "--heartbeat", "1s");
    m.awaitLine("berth manager is running", Duration.ofSeconds(30));
    return m;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (router != null) router.close();
    for (BerthProcess a : agents) a.close();
    if (manager != null) manager.close();
    if (etcd != null) etcd.close();
    if (engines != null) engines.close();
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api", "http://127.0.0.1:" + apiPort, "--data", dir.resolve("manager").toString()));
    return BerthProcess.run(Duration.ofSeconds(180), all.toArray(String[]::new));
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
    JsonNode routers = api.get("/v1/routers");
    assertThat(routers).hasSize(1);
    assertThat(routers.get(0).path("instances")).hasSize(3);
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
    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/routers").get(0).path("instances").size() == 3);
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
      manager.kill();
      Thread.sleep(2000); // the router has lost its manager: it keeps the routes it has
      assertThat(get("hello.berth.local")).startsWith("200 ");
      manager = startManager();
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
      for (LocalEngine e : engines.engines()) {
        assertThat(DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=io.berth.process-guid")
            .out().trim()).isEmpty();
      }
    });
  }
}

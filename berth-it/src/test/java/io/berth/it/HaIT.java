package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.LocalEngine;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three managers on a three-member etcd, three agents, a router with nginx and haproxy in front of
 * the managers — all real processes — hurt in turn: the leader, a follower and an etcd member are
 * SIGKILLed and started again, round after round, while an app serves through nginx, an LRP keeps
 * its six instances, and the docker CLI runs {@code ps} and {@code run} through haproxy. No request
 * may fail, no node may be shown down, a new leader must come within the TTL and a second, and at
 * the end each slot has exactly one container. Then a leader cut off from etcd (its relay to the
 * members cut) must stop leading within its TTL while its rollout finishes under the next, a
 * lost etcd quorum must refuse changes with 503, keep serving, and resume by itself, and a manager
 * that hangs (SIGSTOP) must be left by its agents and the router within 2 s with no node shown down.
 */
@BerthCluster(nodes = 3, firstNode = 27, store = BerthCluster.Store.ETCD, etcdMembers = 3, managers = 3,
    managerArgs = {"--leader-ttl", "3s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaIT {
  static final Duration TTL = Duration.ofSeconds(3);
  static final String ROUTER_IP = "127.0.0.1";
  static final String APP = """
      name: ha
      image: berth/busybox:1
      command: [/bin/sh, -c, "mkdir -p /www && echo $BERTH_APP_VERSION $INSTANCE_INDEX > /www/index.html && exec httpd -f -p 8080 -h /www"]
      instances: 4
      memory: 16m
      ports: [8080]
      health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 20s}
      routes: [ha.berth.local]
      """;
  static final String LRP = """
      {"process_guid": "ha-web", "domain": "ha", "rootfs": "docker:///berth/busybox#1", "instances": 6, "memory_mb": 16,
       "ports": [8080], "health_check": {"type": "tcp", "port": 8080},
       "action": {"run": {"path": "/bin/sh", "user": "root",
         "args": ["-c", "mkdir -p /www && echo $INSTANCE_INDEX > /www/index.html && exec httpd -f -p 8080 -h /www"]}}}""";

  static Cluster cluster;
  static Path dir;
  static Haproxy haproxy;
  static BerthProcess router;
  static int routerPort;
  static ManagerApi api;
  static HaManagers ha;

  @BeforeAll
  static void start(Cluster c) throws Exception {
    cluster = c;
    ha = new HaManagers(c);
    dir = Files.createTempDirectory("berth-ha-it");
    haproxy = Haproxy.start(dir, c.apiPorts(), c.dockerPorts());
    api = new ManagerApi(haproxy.apiUrl(), c.managerData());
    routerPort = Ports.free();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < c.managerCount(); i++) urls.add(c.apiUrl(i));
    router = BerthProcess.start("router", dir, "router", "--manager", String.join(",", urls), "--token", c.adminToken(),
        "--group", "default", "--listen", ROUTER_IP + ":" + routerPort, "--data", dir.resolve("router").toString());
    router.awaitLine("berth router ready", Duration.ofSeconds(30));
    Path app = dir.resolve("ha.yml");
    Files.writeString(app, APP);
    BerthProcess.Result deployed = berth("app", "deploy", "-f", app.toString());
    assertThat(deployed.exit()).as(deployed.out() + deployed.err()).isZero();
    Path lrp = dir.resolve("ha-web.json");
    Files.writeString(lrp, LRP);
    BerthProcess.Result created = berth("lrp", "create", "-f", lrp.toString(), "--watch");
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> HostLoad.once(ROUTER_IP, routerPort, "ha.berth.local").startsWith("200 v1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      berth("app", "rm", "ha");
      berth("lrp", "rm", "ha-web");
    }
    if (router != null) router.close();
    if (haproxy != null) haproxy.close();
    for (LocalEngine e : cluster.engines()) { // a run cut off by a kill may have made its container
      String left = DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-aq", "--filter", "name=ha-loop-").out().strip();
      if (!left.isEmpty()) DockerCli.run("unix://" + e.socket(), List.of(), null, "rm", "-f", left.split("\\s+")[0]);
    }
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--api", haproxy.apiUrl(), "--data", cluster.managerData().toString()));
    return BerthProcess.run(Duration.ofSeconds(120), all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void everyManagerListsTheThreeWithOneLeader() throws Exception {
    for (int i = 0; i < cluster.managerCount(); i++) {
      JsonNode managers = new ManagerApi(cluster.apiUrl(i), cluster.managerData()).get("/v1/managers");
      assertThat(managers).as("manager %d's list", i).hasSize(3);
      long leaders = 0;
      for (JsonNode m : managers) {
        if (m.path("leader").asBoolean()) leaders++;
        assertThat(m.path("api").asText()).startsWith("http://");
        assertThat(m.path("cluster").asText()).contains(":");
        assertThat(m.path("version").asText()).isNotEmpty();
        assertThat(m.path("since").asText()).isNotEmpty();
      }
      assertThat(leaders).isEqualTo(1);
    }
    BerthProcess.Result table = berth("managers");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("LEADER", "m0", "m1", "m2");
  }

  @Test
  @Order(2)
  void killingTheLeaderAFollowerAndAnEtcdMemberInTurnLosesNothing() throws Exception {
    long seed = Long.getLong("berth.it.seed", System.nanoTime());
    int rounds = Integer.getInteger("berth.it.haRounds", 2);
    System.out.printf("berth-it: HaIT chaos, %d rounds, seed %d%n", rounds, seed);
    Random random = new Random(seed);
    List<Long> kills = new ArrayList<>();
    List<Long> failovers = new ArrayList<>();
    try (HostLoad load = new HostLoad(ROUTER_IP, routerPort, "ha.berth.local", 4);
         NodeWatch nodes = new NodeWatch(api);
         DockerLoop docker = new DockerLoop(haproxy.dockerHost())) {
      for (int round = 0; round < rounds; round++) {
        int leader = ha.leaderIndex();
        kills.add(System.nanoTime());
        cluster.killManager(leader);
        long t0 = System.nanoTime();
        await().atMost(TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ha.leaderOtherThan(leader));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        failovers.add(ms);
        System.out.printf("berth-it: round %d: leader m%d killed, a new leader after %d ms%n", round, leader, ms);
        Thread.sleep(2000);
        cluster.startManager(leader);

        int follower = ha.otherThan(ha.leaderIndex(), random);
        kills.add(System.nanoTime());
        cluster.killManager(follower);
        System.out.printf("berth-it: round %d: follower m%d killed%n", round, follower);
        Thread.sleep(4000);
        cluster.startManager(follower);

        int member = random.nextInt(3);
        kills.add(System.nanoTime());
        cluster.etcdMembers().stop(member);
        System.out.printf("berth-it: round %d: etcd member %d killed%n", round, member);
        Thread.sleep(4000);
        cluster.etcdMembers().start(member);
        cluster.etcdMembers().awaitHealthy(member, Duration.ofSeconds(30));
        Thread.sleep(1000);
      }
      Thread.sleep(1000);
      load.close();
      docker.close();
      nodes.close();
      System.out.printf("berth-it: HaIT: %d requests served, %d failed; failovers %s ms; docker commands %d, failed %d%n",
          load.ok(), load.failed(), failovers, docker.runs(), docker.failures().size());
      assertThat(load.failed()).as("requests failed through nginx (first: %s)", load.firstFailure()).isZero();
      assertThat(load.ok()).isGreaterThan(100);
      assertThat(nodes.downSeen()).as("nodes shown down").isEmpty();
      for (long ms : failovers) assertThat(ms).as("a new leader within the TTL and a second").isLessThanOrEqualTo(TTL.toMillis() + 1000);
      for (DockerLoop.Run r : docker.failures()) {
        assertThat(kills).as("a failed docker command was in flight at a kill: %s", r)
            .anyMatch(k -> r.startNanos() <= k + 1_500_000_000L && r.endNanos() >= k);
        assertThat(r.err()).as("Docker's error shape").containsAnyOf("Error response from daemon", "error during connect", "Cannot connect");
      }
    }
    assertOneContainerPerSlot();
  }

  @Test
  @Order(3)
  void aLeaderCutOffFromEtcdStopsLeadingAndItsRolloutFinishesUnderTheNext() throws Exception {
    int leader = ha.leaderIndex();
    int other = ha.otherThan(leader, new Random());
    Path v2 = dir.resolve("ha-v2.yml");
    Files.writeString(v2, APP.replace("instances: 4", "instances: 4\nenv: {V: \"2\"}"));
    // The client talks to a follower: the manager about to be cut off would still pass haproxy's check
    // (its relay cuts only its etcd client), and this test is about the leader's work, not the front.
    try (HostLoad load = new HostLoad(ROUTER_IP, routerPort, "ha.berth.local", 4);
         BerthProcess deploy = BerthProcess.start("deploy-v2", dir, "app", "deploy", "-f", v2.toString(),
             "--api", cluster.apiUrl(other), "--data", cluster.managerData().toString())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/v1/apps/ha").path("rollout").path("to").asInt() == 2);
      long t0 = System.nanoTime();
      cluster.relay(leader).cut();
      cluster.manager(leader).awaitLine("leader-deposed", TTL.plusSeconds(2));
      long deposed = (System.nanoTime() - t0) / 1_000_000;
      await().atMost(TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> ha.leaderOtherThan(leader));
      long led = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("berth-it: leader m%d cut off from etcd: deposed after %d ms, another leads after %d ms%n", leader, deposed, led);
      assertThat(deposed).as("a cut-off leader stops within its TTL").isLessThanOrEqualTo(TTL.toMillis() + 1000);
      await().atMost(Duration.ofSeconds(120)).until(() -> !deploy.isAlive());
      assertThat(deploy.stop()).as(deploy.output()).isZero();
      JsonNode app = new ManagerApi(cluster.apiUrl(other), cluster.managerData()).get("/v1/apps/ha");
      assertThat(app.path("rollout").path("phase").asText()).as(app.toString()).isEqualTo("succeeded");
      assertThat(app.path("rollout").path("to").asInt()).isEqualTo(2);
      load.close();
      assertThat(load.failed()).as("requests failed through nginx (first: %s)", load.firstFailure()).isZero();
    } finally {
      cluster.relay(leader).mend();
    }
    // Mended, it serves again as a follower.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode managers = new ManagerApi(cluster.apiUrl(leader), cluster.managerData()).get("/v1/managers");
      assertThat(managers).hasSize(3);
      assertThat(managers.findValues("leader").stream().filter(JsonNode::asBoolean).count()).isEqualTo(1);
    });
  }

  @Test
  @Order(4)
  void losingEtcdsQuorumRefusesChangesKeepsServingAndResumesByItself() throws Exception {
    try (HostLoad load = new HostLoad(ROUTER_IP, routerPort, "ha.berth.local", 4); NodeWatch nodes = new NodeWatch(api)) {
      cluster.etcdMembers().stop(1);
      cluster.etcdMembers().stop(2);
      for (int i = 0; i < cluster.managerCount(); i++) {
        int m = i;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          HttpResponse<String> h = ha.healthz(m);
          assertThat(h.statusCode()).isEqualTo(503);
          assertThat(h.body()).contains("store has no quorum: 1 of 3 members answer");
        });
      }
      HttpResponse<String> refused = ha.call(0, "POST", "/v1/apps/ha/scale", "{\"instances\": 5}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("no quorum");
      Thread.sleep(3000);
      cluster.etcdMembers().start(1);
      cluster.etcdMembers().start(2);
      cluster.etcdMembers().awaitHealthy(1, Duration.ofSeconds(30));
      cluster.etcdMembers().awaitHealthy(2, Duration.ofSeconds(30));
      for (int i = 0; i < cluster.managerCount(); i++) {
        int m = i;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ha.healthz(m).statusCode()).isEqualTo(200));
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        HttpResponse<String> scaled = ha.call(0, "POST", "/v1/apps/ha/scale", "{\"instances\": 4}");
        assertThat(scaled.statusCode()).as(scaled.body()).isLessThan(300);
      });
      load.close();
      nodes.close();
      assertThat(load.failed()).as("requests failed through nginx (first: %s)", load.firstFailure()).isZero();
      assertThat(nodes.downSeen()).as("nodes shown down").isEmpty();
    }
    assertOneContainerPerSlot();
  }

  @Test
  @Order(5)
  void aManagerThatHangsIsLeftByItsAgentsAndTheRouterWithin2sAndNoNodeIsShownDown() throws Exception {
    List<String> addresses = List.of(cluster.managerAddresses().split(","));
    List<String> apis = new ArrayList<>();
    for (int i = 0; i < cluster.managerCount(); i++) apis.add(cluster.apiUrl(i));
    int routers = apis.indexOf(HaManagers.lastValue(router, "manager-switched", " to=", apis.get(0)));
    int agents = addresses.indexOf(ha.agentsManager(cluster.engines().get(0).name()));
    boolean shared = cluster.engines().stream().anyMatch(e -> addresses.indexOf(ha.agentsManager(e.name())) == routers);
    int hung = shared ? routers : agents; // the router's manager when an agent shares it: both are then tested
    assertThat(hung).as("the manager to stop").isNotNegative();
    Map<BerthProcess, Long> seen = new LinkedHashMap<>(); // each process on the manager to stop, and how much of its log came before
    for (LocalEngine e : cluster.engines()) {
      if (addresses.indexOf(ha.agentsManager(e.name())) == hung) seen.put(cluster.agent(e.name()), cluster.agent(e.name()).output().lines().count());
    }
    if (routers == hung) seen.put(router, router.output().lines().count());
    long pid = cluster.manager(hung).pid();
    try (NodeWatch nodes = new NodeWatch(api)) {
      LocalTime stoppedAt = LocalTime.now();
      HaManagers.signal("STOP", pid); // alive, its connections open, the kernel still accepting: it answers nothing
      for (Map.Entry<BerthProcess, Long> p : seen.entrySet()) {
        // an agent: its first heartbeat through another; the router: its move (its next poll goes there at once)
        String line = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(
            () -> p.getKey().output().lines().skip(p.getValue()).filter(l -> p.getKey() == router
                ? l.contains("manager-switched from=" + apis.get(hung) + " ")
                : l.contains("node-registered") && !l.endsWith("manager=" + addresses.get(hung))).findFirst().orElse(null),
            l -> l != null);
        long ms = Duration.between(stoppedAt, LocalTime.parse(line.substring(0, 12))).toMillis();
        System.out.printf("berth-it: manager m%d stopped (SIGSTOP): %s left it after %d ms%n", hung, p.getKey() == router ? "the router" : "an agent", ms);
        assertThat(ms).as("after the stop: %s", line).isLessThanOrEqualTo(2000);
      }
      Thread.sleep(TTL.toMillis() + 2000); // if it led, a new leader gives every node a fresh lease: none is shown down
      nodes.close();
      assertThat(nodes.downSeen()).as("nodes shown down").isEmpty();
    } finally {
      HaManagers.signal("CONT", pid);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ha.healthz(hung).statusCode()).isEqualTo(200));
  }

  /** Every slot of the LRP and the app has exactly one container on the engines, and none is lost. */
  static void assertOneContainerPerSlot() {
    String live = "ha-v" + api.get("/v1/apps/ha").path("rollout").path("to").asInt();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> lrpIndexes = new ArrayList<>();
      int app = 0;
      for (LocalEngine e : cluster.engines()) {
        lrpIndexes.addAll(DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "--filter", "label=io.berth.process-guid=ha-web",
            "--format", "{{.Label \"io.berth.index\"}}").out().lines().toList());
        app += (int) DockerCli.run("unix://" + e.socket(), List.of(), null, "ps", "-q", "--filter", "label=io.berth.process-guid=" + live)
            .out().lines().count();
      }
      assertThat(lrpIndexes).as("the LRP's containers, by index").containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
      assertThat(app).as("the app's containers").isEqualTo(4);
    });
  }
}

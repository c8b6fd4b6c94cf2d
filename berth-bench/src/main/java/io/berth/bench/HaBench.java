package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import io.berth.store.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench ha}: three managers on a three-member etcd over three local engines (nodes
 * 47-49), side by side with one manager on the same etcd and engines. Measures the failover (SIGKILL
 * of the leader to a new leader named by the survivors), how long the agents of a killed manager,
 * and of a hung (SIGSTOPped) one, take to heartbeat through another, the requests nginx fails
 * meanwhile (wrk through berth router), and what HA costs in steady state: {@code docker run -d}
 * and an LRP of 30 on one manager and on three.
 */
final class HaBench {
  static final int SAMPLES = 4;
  static final Duration TTL = Duration.ofSeconds(5);

  private HaBench() {}

  record Managers(List<Integer> api, List<Integer> cluster, List<Integer> docker, List<Process> processes, List<Path> logs, Path dir) {
    Path data(int i) {
      return dir.resolve("manager-" + i);
    }

    /** The first manager made the cluster: its data dir has the admin token. */
    Path admin() {
      return data(0);
    }
  }

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-ha");
    try (LocalEngines engines = LocalEngines.builder().nodes(3).firstNode(47).baseDir(dir.resolve("engines")).start();
         EtcdCluster etcd = EtcdCluster.startOnFreePorts(3)) {
      Managers m = new Managers(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), dir);
      Files.writeString(dir.resolve("logback.xml"), BerthJar.logback("io.berth.manager.docker.Creator", "io.berth.manager.plan.PlanLock"));
      List<Process> others = new ArrayList<>();
      try {
        startManager(m, 0, etcd.url());
        join(m, engines.engines(), others);
        double lrp1 = lrp(m, 30);
        startManager(m, 1, etcd.url());
        startManager(m, 2, etcd.url());
        Thread.sleep(2000);
        List<HaRunTimes.Side> runs = HaRunTimes.measure(m, 10, 4);
        double lrp3 = lrp(m, 30);
        int routerPort = router(m, others);
        AppBench.deploy(new AppBench.Cluster(m.api().get(0), m.admin(), routerPort), AppBench.MANIFEST.replace("instances: 6", "instances: 2"), "deploy");
        List<Double> failovers = new ArrayList<>();
        List<Double> moves = new ArrayList<>();
        String row = AppBench.underLoad("http://127.0.0.1:" + routerPort + "/", SAMPLES + " leader kills (wrk through nginx)", () -> {
          for (int s = 0; s < SAMPLES; s++) {
            int leader = leader(m);
            String from = "from=127.0.0.1:" + m.cluster().get(leader) + " ";
            LocalTime killedAt = LocalTime.now();
            m.processes().get(leader).destroyForcibly();
            long t0 = System.nanoTime();
            while (leaderOtherThan(m, leader) < 0) Thread.sleep(20);
            failovers.add((System.nanoTime() - t0) / 1e9);
            Thread.sleep(3000);
            firstMove(dir, from, killedAt).ifPresent(moves::add); // none when no agent used the leader
            Thread.sleep(TTL.toMillis());
            startManager(m, leader, etcd.url());
            Thread.sleep(2000);
          }
        });
        List<Double> hungMoves = hangs(m, dir);
        List<double[]> restarts = restarts(m, etcd.url());
        System.out.printf("== ha: 3 managers on a 3-member etcd, 3 agents, --leader-ttl %ds; %d samples%n", TTL.toSeconds(), SAMPLES);
        System.out.printf("failover, SIGKILL of the leader -> the survivors name a new leader: %s s; worst %.2f s (aim <= TTL + 1 = %d s;"
            + " Kubernetes' controller lease 15 s, classic Swarm's --replication-ttl 20 s)%n", fmt(failovers),
            failovers.stream().mapToDouble(Double::doubleValue).max().orElse(0), TTL.toSeconds() + 1);
        System.out.printf("agent move, SIGKILL of its manager -> the first agent's move to another (agents on the killed leader only): %s s; worst %.2f s (aim <= 2 s)%n",
            fmt(moves), moves.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.printf("agent move, SIGSTOP of its manager (hung: connections open, nothing answers) -> the first agent's move to another: %s s; worst %.2f s (aim <= 2 s)%n",
            fmt(hungMoves), hungMoves.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.printf("leader SIGKILLed and started again at once -> \"berth manager is running\", in turns: with its data dir's note of"
            + " its record's lease %s s; without it (its previous life's record waited out, as before the note) %s s%n",
            fmt(restarts.stream().filter(r -> r[0] == 1).map(r -> r[1]).toList()), fmt(restarts.stream().filter(r -> r[0] == 0).map(r -> r[1]).toList()));
        System.out.println(AppBench.header());
        System.out.println(row);
        System.out.print(HaRunTimes.report(runs));
        System.out.printf("LRP of 30, create -> all RUNNING: 1 manager %.2f s, 3 managers %.2f s (%.2fx; aim <= 1.05x)%n",
            lrp1, lrp3, lrp3 / lrp1);
      } finally {
        for (Process p : others) p.destroy();
        for (Process p : others) if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
        for (Process p : m.processes()) if (p != null) p.destroyForcibly();
        for (LocalEngine e : engines.engines()) {
          for (String id : LrpBench.docker("unix://" + e.socket(), "ps", "-aq").lines().filter(l -> !l.isBlank()).toList()) {
            LrpBench.docker("unix://" + e.socket(), "rm", "-f", id);
          }
        }
      }
    }
  }

  /**
   * {@link #SAMPLES} hangs: SIGSTOPs the manager the first agent beats through, reads how long its
   * agents took to move away (they hear its pulse fall silent), and SIGCONTs it once a leader it may
   * have held is replaced.
   */
  static List<Double> hangs(Managers m, Path dir) throws Exception {
    List<Double> moves = new ArrayList<>();
    for (int s = 0; s < SAMPLES; s++) {
      int hung = m.cluster().indexOf(Integer.parseInt(agentsManager(dir).replaceAll(".*:", "")));
      long pid = m.processes().get(hung).pid();
      LocalTime stoppedAt = LocalTime.now();
      signal("STOP", pid);
      Thread.sleep(3000);
      firstMove(dir, "from=127.0.0.1:" + m.cluster().get(hung) + " ", stoppedAt).ifPresent(moves::add);
      Thread.sleep(TTL.toMillis());
      signal("CONT", pid);
      Thread.sleep(3000);
    }
    return moves;
  }

  /** The cluster address the first agent beat through last, from its log. */
  static String agentsManager(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      Path first = files.filter(f -> f.getFileName().toString().startsWith("agent-") && f.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
      List<String> beats = Files.readString(first).lines().filter(l -> l.contains("node-registered")).toList();
      return beats.get(beats.size() - 1).replaceAll(".* manager=", "").strip();
    }
  }

  static void signal(String name, long pid) throws Exception {
    if (new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid + " failed");
    }
  }

  /**
   * {@link #SAMPLES} restarts of the leader, SIGKILLed and started again at once, in turns with and without the
   * {@code record.lease} note its data dir keeps (without: the restart waits out its previous life's record, as
   * before the note): each {noted 1/0, seconds from the kill to "running"}.
   */
  static List<double[]> restarts(Managers m, String store) throws Exception {
    List<double[]> out = new ArrayList<>();
    for (int s = 0; s < SAMPLES; s++) {
      boolean noted = s % 2 == 0;
      int leader = leader(m);
      Process old = m.processes().get(leader);
      old.destroyForcibly();
      old.waitFor();
      long t0 = System.nanoTime();
      if (!noted) Files.deleteIfExists(m.data(leader).resolve("record.lease"));
      startManager(m, leader, store);
      out.add(new double[] {noted ? 1 : 0, (System.nanoTime() - t0) / 1e9});
      Thread.sleep(TTL.toMillis() + 2000); // the leadership settles before the next kill
    }
    return out;
  }

  static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.2f", x)).toList().toString();
  }

  static void startManager(Managers m, int i, String store) throws Exception {
    while (m.api().size() <= i) {
      m.api().add(BerthJar.freePort());
      m.cluster().add(BerthJar.freePort());
      m.docker().add(BerthJar.freePort());
      m.processes().add(null);
      m.logs().add(null);
    }
    Path log = m.dir().resolve("manager-" + i + "-" + System.nanoTime() + ".log");
    Process p = BerthJar.start(log, List.of("-Dlogback.configurationFile=" + m.dir().resolve("logback.xml")), "manage", "--store", store, "--data", m.data(i).toString(), "--name", "m" + i,
        "--leader-ttl", TTL.toSeconds() + "s", "--api-addr", "127.0.0.1:" + m.api().get(i),
        "--cluster-addr", "127.0.0.1:" + m.cluster().get(i), "--docker-addr", "127.0.0.1:" + m.docker().get(i));
    m.processes().set(i, p);
    m.logs().set(i, log);
    BerthJar.await(p, log, "berth manager is running", Duration.ofSeconds(60));
  }

  static void join(Managers m, List<LocalEngine> engines, List<Process> processes) throws Exception {
    String token = Json.MAPPER.readTree(BerthJar.get(m.api().get(0), m.admin(), "/v1/join-token")).path("token").asText();
    for (LocalEngine e : engines) {
      Path log = m.dir().resolve("agent-" + e.name() + ".log");
      Process a = BerthJar.start(log, "join", "--manager", "127.0.0.1:" + m.cluster().get(0), "--token", token,
          "--advertise", e.address() + ":12376", "--engine", e.socket(), "--name", e.name(), "--data", m.dir().resolve("agent-" + e.name()).toString());
      processes.add(a);
      BerthJar.await(a, log, "node-registered", Duration.ofSeconds(30));
    }
    Thread.sleep(2000);
  }

  /**
   * Seconds from {@code killedAt} to the first agent's move away from the killed manager, read from
   * the agents' logs (each line starts with its time of day); empty when no agent was on it.
   */
  static Optional<Double> firstMove(Path dir, String from, LocalTime killedAt) throws Exception {
    Optional<Double> first = Optional.empty();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("agent-") && f.toString().endsWith(".log")).toList()) {
        for (String line : Files.readString(f).lines().filter(l -> l.contains("manager-switched") && l.contains(from)).toList()) {
          LocalTime at = LocalTime.parse(line.substring(0, 12));
          if (at.isBefore(killedAt)) continue;
          double s = Duration.between(killedAt, at).toMillis() / 1e3;
          if (first.isEmpty() || s < first.get()) first = Optional.of(s);
        }
      }
    }
    return first;
  }

  static int leader(Managers m) throws Exception {
    for (int i = 0; i < m.api().size(); i++) {
      String body = BerthJar.get(m.api().get(i), m.admin(), "/v1/managers");
      if (body == null) continue;
      for (JsonNode x : Json.MAPPER.readTree(body)) if (x.path("leader").asBoolean()) return Integer.parseInt(x.path("name").asText().substring(1));
    }
    throw new IllegalStateException("no leader");
  }

  static int leaderOtherThan(Managers m, int old) throws Exception {
    for (int i = 0; i < m.api().size(); i++) {
      if (i == old) continue;
      String body = BerthJar.get(m.api().get(i), m.admin(), "/v1/managers");
      if (body == null) continue;
      for (JsonNode x : Json.MAPPER.readTree(body)) {
        int n = Integer.parseInt(x.path("name").asText().substring(1));
        if (x.path("leader").asBoolean() && n != old) return n;
      }
    }
    return -1;
  }

  static double lrp(Managers m, int n) throws Exception {
    String guid = "bench-" + System.nanoTime();
    String body = """
        {"process_guid": "%s", "domain": "bench", "rootfs": "docker:///berth/busybox#1", "instances": %d, "memory_mb": 8,
         "action": {"run": {"path": "/bin/sleep", "args": ["600"], "user": "root"}}}""".formatted(guid, n);
    long t0 = System.nanoTime();
    BerthJar.post(m.api().get(0), m.admin(), "/v1/desired_lrps", body);
    while (running(m, guid) < n) Thread.sleep(50);
    double s = (System.nanoTime() - t0) / 1e9;
    BerthJar.delete(m.api().get(0), m.admin(), "/v1/desired_lrps/" + guid);
    while (!"[]".equals(BerthJar.get(m.api().get(0), m.admin(), "/v1/actual_lrps/" + guid))) Thread.sleep(100);
    return s;
  }

  static int running(Managers m, String guid) throws Exception {
    String body = BerthJar.get(m.api().get(0), m.admin(), "/v1/actual_lrps/" + guid);
    if (body == null) return 0;
    int c = 0;
    for (JsonNode a : Json.MAPPER.readTree(body)) if (a.path("state").asText().equals("RUNNING")) c++;
    return c;
  }

  /** A router with nginx told every manager, and a 2-instance app behind it. */
  static int router(Managers m, List<Process> processes) throws Exception {
    int port = BerthJar.freePort();
    List<String> urls = m.api().stream().map(p -> "http://127.0.0.1:" + p).toList();
    Path log = m.dir().resolve("router.log");
    Process r = BerthJar.start(log, "router", "--manager", String.join(",", urls), "--token",
        Files.readString(m.admin().resolve("admin.token")).trim(), "--group", "default", "--listen", "127.0.0.1:" + port,
        "--data", m.dir().resolve("router").toString());
    processes.add(r);
    BerthJar.await(r, log, "berth router ready", Duration.ofSeconds(30));
    return port;
  }
}

package io.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.engine.ContainerSpec;
import io.berth.engine.LocalEngine;
import io.berth.engine.LocalEngines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code scripts/bench lrp}, side by side on local engines (nodes 30-32): N containers started in
 * parallel on the engines directly (their own limit), a DesiredLRP of N instances through Berth
 * until all are RUNNING, and Docker's swarm mode ({@code docker service create --replicas N} on
 * one engine) until {@code N/N}; then, on Berth, a killed container until its slot runs again and a
 * lost node until its instances run elsewhere. N: {@code BERTH_LRP_INSTANCES} (default 100).
 */
final class LrpBench {
  static final String DOCKER = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";

  private LrpBench() {}

  static void run() throws Exception {
    int n = Integer.parseInt(System.getenv().getOrDefault("BERTH_LRP_INSTANCES", "100"));
    Path dir = Files.createTempDirectory("berth-bench-lrp");
    try (LocalEngines engines = LocalEngines.builder().nodes(3).firstNode(30).baseDir(dir.resolve("engines")).start()) {
      List<LocalEngine> all = engines.engines();
      Map<String, double[]> perContainer = new HashMap<>();
      double direct3 = direct(all, n, perContainer);
      double direct1 = direct(all.subList(0, 1), n, new HashMap<>());
      double swarm1 = swarm(all.get(0), n);
      Berth berth = berth(dir, all, n, () -> direct(all, n, new HashMap<>()), moved -> direct(all.subList(0, 2), moved, new HashMap<>()));
      double limit = (direct3 + berth.directAgain) / 2;
      double warm = (berth.warmRunning + berth.allRunning) / 2;
      System.out.printf("== lrp: %d instances of berth/busybox:1 'sleep 600', time until all run (s)%n", n);
      System.out.printf("%-52s %8s %8s%n", "", "seconds", "ratio");
      System.out.printf("%-52s %8.2f %8s%n", "engines directly, 3 engines in parallel (the limit)", limit, "1.00x");
      System.out.printf("%-52s %8.2f %8s%n", "  run 1, before Berth's; run 2, between its LRPs", direct3, String.format("%.2f", berth.directAgain));
      System.out.printf("%-52s %8.2f %7.2fx%n", "Berth DesiredLRP, 3 nodes, until all RUNNING", warm, warm / limit);
      System.out.printf("%-52s %8.2f %8s%n", "  LRP 2 and LRP 3 (a warm cluster)", berth.warmRunning, String.format("%.2f", berth.allRunning));
      System.out.printf("%-52s %8.2f %7.2fx%n", "  LRP 1, the first after start (cold JVMs)", berth.firstRunning, berth.firstRunning / limit);
      System.out.printf("%-52s %8.2f %8s%n", "engine directly, 1 engine in parallel (the limit)", direct1, "1.00x");
      System.out.printf("%-52s %8.2f %7.2fx%n", "swarm mode service, 1 engine, until N/N", swarm1, swarm1 / direct1);
      berth.crashes.print();
      berth.nodeLoss.print();
      LrpBreakdown.print(berth.breakdown, berth.allRunning, 3, perContainer);
      double[] cpu = berth.cpu;
      System.out.printf("CPU while Berth started them, core-seconds: machine busy %.1f, idle %.1f; of the busy: manager %.1f, 3 agents %.1f, "
          + "this bench %.1f, the rest (dockerd, containerd, runc, the containers; other work on the machine) %.1f%n", cpu[3], cpu[4], cpu[0],
          cpu[1], cpu[2], cpu[3] - cpu[0] - cpu[1] - cpu[2]);
    }
  }

  /**
   * N containers created and started at once, spread over {@code engines}; seconds until all
   * started. {@code perCall} gets each create's and each start's milliseconds.
   */
  static double direct(List<LocalEngine> engines, int n, Map<String, double[]> perCall) throws Exception {
    double[] creates = new double[n];
    double[] starts = new double[n];
    double[] machine0 = CpuTimes.machine();
    long t0 = System.nanoTime();
    List<Future<String>> started = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        LocalEngine e = engines.get(i % engines.size());
        int k = i;
        started.add(pool.submit(() -> {
          long c0 = System.nanoTime();
          String id = e.engine().create(ContainerSpec.of("berth/busybox:1", "sleep", "600"));
          long c1 = System.nanoTime();
          e.engine().start(id);
          creates[k] = (c1 - c0) / 1e6;
          starts[k] = (System.nanoTime() - c1) / 1e6;
          return id;
        }));
      }
      for (Future<String> f : started) f.get();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    double[] machine1 = CpuTimes.machine();
    perCall.put("create", creates);
    perCall.put("start", starts);
    perCall.put("machine", new double[] {machine1[0] - machine0[0], machine1[1] - machine0[1]});
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        LocalEngine e = engines.get(i % engines.size());
        String id = started.get(i).get();
        pool.submit(() -> {
          e.engine().remove(id, true);
          return null;
        });
      }
    }
    return s;
  }

  /** Docker's own swarm mode on one engine: seconds from {@code service create} to {@code N/N}. */
  static double swarm(LocalEngine e, int n) throws Exception {
    String host = "unix://" + e.socket();
    docker(host, "swarm", "init", "--advertise-addr", e.address());
    try {
      long t0 = System.nanoTime();
      docker(host, "service", "create", "--detach", "--quiet", "--replicas", Integer.toString(n), "--name", "bench",
          "berth/busybox:1", "sleep", "600");
      while (!docker(host, "service", "ls", "--filter", "name=bench", "--format", "{{.Replicas}}").strip().equals(n + "/" + n)) {
        Thread.sleep(100);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      docker(host, "service", "rm", "bench");
      return s;
    } finally {
      docker(host, "swarm", "leave", "--force");
      Thread.sleep(2000); // the service's tasks go
      for (String id : docker(host, "ps", "-aq").lines().filter(l -> !l.isBlank()).toList()) docker(host, "rm", "-f", id);
    }
  }

  /** {@code cpu}: CPU seconds during the start of the manager, the agents, this bench, the machine busy, the machine idle. */
  record Berth(double firstRunning, double warmRunning, double directAgain, double allRunning, CrashRun crashes, NodeLossRun nodeLoss,
      List<LrpBreakdown.Node> breakdown, double[] cpu) {}

  /** The engines' own run of a count of containers, measured beside one of Berth's. */
  interface DirectRun {
    double seconds(int containers) throws Exception;
  }

  /**
   * The agents' JVM options from {@code BERTH_BENCH_AGENT_JVM}, NAME standing for the node's name: e.g. a flight
   * recording per agent, {@code -XX:StartFlightRecording=filename=/tmp/NAME.jfr,settings=profile}.
   */
  static List<String> agentJvm(String node) {
    String opts = System.getenv().getOrDefault("BERTH_BENCH_AGENT_JVM", "").strip();
    return opts.isEmpty() ? List.of() : List.of(opts.replace("NAME", node).split("\\s+"));
  }

  /** Deletes the LRP {@code guid} and waits until its records and every container on the engines are gone. */
  static void remove(int api, Path mdata, String guid, List<LocalEngine> engines) throws Exception {
    BerthJar.delete(api, mdata, "/v1/desired_lrps/" + guid);
    while (!"[]".equals(BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid))) Thread.sleep(250);
    for (LocalEngine e : engines) {
      while (!docker("unix://" + e.socket(), "ps", "-aq").isBlank()) Thread.sleep(250);
    }
    Thread.sleep(3000); // the manager's view of the nodes settles: the next LRP is spread over empty nodes
  }

  /** One LRP's start: seconds from its POST to its last instance recorded RUNNING, each node's create steps, and the CPU spent. */
  record Started(double allRunning, List<LrpBreakdown.Node> breakdown, double[] cpu) {}

  /** Creates the LRP {@code guid} of {@code n} instances and waits for all RUNNING. */
  static Started startAll(int api, Path mdata, String guid, int n, Process manager, List<Process> agents, List<LocalEngine> engines,
      Path dir) throws Exception {
    String lrp = """
        {"process_guid": "%s", "domain": "bench", "rootfs": "docker:///berth/busybox#1", "instances": %d, "memory_mb": 8,
         "action": {"run": {"path": "/bin/sleep", "args": ["600"], "user": "root"}}}""".formatted(guid, n);
    // Asked four times a second, not more: the bench's own requests would use the cores the engines start
    // containers on. The time is from the records: `running_since`, when the manager recorded each RUNNING.
    double[] machine0 = CpuTimes.machine();
    double manager0 = CpuTimes.process(manager.pid());
    double agents0 = CpuTimes.processes(agents);
    double bench0 = CpuTimes.process(ProcessHandle.current().pid());
    LocalTime t0Local = LocalTime.now();
    long t0Epoch = epochNanos();
    BerthJar.post(api, mdata, "/v1/desired_lrps", lrp);
    long lastRunning;
    while ((lastRunning = lastRunningSince(api, mdata, guid, n)) < 0) Thread.sleep(250);
    double[] machine1 = CpuTimes.machine();
    double[] cpu = {CpuTimes.process(manager.pid()) - manager0, CpuTimes.processes(agents) - agents0,
        CpuTimes.process(ProcessHandle.current().pid()) - bench0, machine1[0] - machine0[0], machine1[1] - machine0[1]};
    List<LrpBreakdown.Node> breakdown = new ArrayList<>();
    for (LocalEngine e : engines) breakdown.add(LrpBreakdown.node(e.name(), dir.resolve("agent-" + e.name() + ".log"), t0Local));
    return new Started((lastRunning - t0Epoch) / 1e9, breakdown, cpu);
  }

  /**
   * {@code directAgainRun}: the engines' own run, made again between the two LRPs of the warm cluster;
   * {@code movedDirect}: the two engines left after the node loss, starting as many containers as Berth moved.
   */
  static Berth berth(Path dir, List<LocalEngine> engines, int n, Callable<Double> directAgainRun, DirectRun movedDirect) throws Exception {
    int api = BerthJar.freePort();
    int cluster = BerthJar.freePort();
    Path mdata = dir.resolve("manager");
    List<Process> processes = new ArrayList<>();
    try {
      Process manager = BerthJar.start(dir.resolve("manager.log"), "manage", "--store", "sqlite://" + dir.resolve("berth.db"),
          "--data", mdata.toString(), "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + cluster,
          "--docker-addr", "127.0.0.1:" + BerthJar.freePort());
      processes.add(manager);
      BerthJar.await(manager, dir.resolve("manager.log"), "berth manager is running", Duration.ofSeconds(30));
      String token = Json.MAPPER.readTree(BerthJar.get(api, mdata, "/v1/join-token")).path("token").asText();
      List<Process> agents = new ArrayList<>();
      for (LocalEngine e : engines) {
        Path log = dir.resolve("agent-" + e.name() + ".log");
        Process a = BerthJar.start(log, agentJvm(e.name()), "join", "--manager", "127.0.0.1:" + cluster, "--token", token, "--advertise", e.address() + ":12376",
            "--engine", e.socket(), "--name", e.name(), "--data", dir.resolve("agent-" + e.name()).toString());
        processes.add(a);
        agents.add(a);
        BerthJar.await(a, log, "node-registered", Duration.ofSeconds(30));
      }
      Thread.sleep(2000); // every agent's assignment feed is open
      // The first LRP after start runs on JVMs that have compiled nothing yet; a cluster that has run anything
      // since its start has. Both are measured: the first ("cold") is removed, the second is the one the rest uses.
      // Two on the warm cluster, and the engines' own run again between them, so that a drift of the machine's
      // load falls on both sides.
      Started cold = startAll(api, mdata, "bench-cold", n, manager, agents, engines, dir);
      remove(api, mdata, "bench-cold", engines);
      Started warm1 = startAll(api, mdata, "bench-warm", n, manager, agents, engines, dir);
      remove(api, mdata, "bench-warm", engines);
      double directAgain = directAgainRun.call();
      Started warm = startAll(api, mdata, "bench", n, manager, agents, engines, dir);

      CrashRun crashes = CrashRun.measure(api, mdata, "bench", 5, engines);
      NodeLossRun nodeLoss = NodeLossRun.measure(api, mdata, "bench", n, engines.get(2).name(), agents.get(2), movedDirect);
      return new Berth(cold.allRunning(), warm1.allRunning(), directAgain, warm.allRunning(), crashes, nodeLoss, warm.breakdown(), warm.cpu());
    } finally {
      for (Process p : processes) p.destroyForcibly();
      for (LocalEngine e : engines) {
        for (String id : docker("unix://" + e.socket(), "ps", "-aq").lines().filter(l -> !l.isBlank()).toList()) {
          docker("unix://" + e.socket(), "rm", "-f", id);
        }
      }
    }
  }

  /** When the last of the {@code n} instances was recorded RUNNING (its {@code running_since}, ns since the epoch), or -1 while some are not. */
  static long lastRunningSince(int api, Path mdata, String guid, int n) throws IOException {
    String body = BerthJar.get(api, mdata, "/v1/actual_lrps/" + guid);
    if (body == null) return -1;
    int c = 0;
    long last = 0;
    for (JsonNode a : Json.MAPPER.readTree(body)) {
      if (!a.path("state").asText().equals("RUNNING")) continue;
      c++;
      last = Math.max(last, a.path("running_since").asLong(a.path("since").asLong()));
    }
    return c < n ? -1 : last;
  }

  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  static String docker(String host, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DOCKER, "-H", host));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

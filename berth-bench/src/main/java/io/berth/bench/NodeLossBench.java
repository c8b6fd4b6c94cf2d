package io.berth.bench;

import io.berth.cluster.Json;
import io.berth.store.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Node loss: SIGKILL an agent and time until the manager's API shows its node {@code down}, with
 * the default lease TTL (10 s) and heartbeat (3 s), on each store. The baseline is the TTL itself:
 * the aim is TTL + 1 s at most. Needs a Docker engine at {@code $BERTH_BENCH_ENGINE} or the default socket.
 */
final class NodeLossBench {
  static final int SAMPLES = 3;

  private NodeLossBench() {}

  static void run() throws Exception {
    String engine = System.getenv().getOrDefault("BERTH_BENCH_ENGINE", "unix:///var/run/docker.sock");
    System.out.println("== node loss: SIGKILL of an agent -> node shown down (TTL 10 s, heartbeat 3 s), " + SAMPLES + " samples per store");
    Path dir = Files.createTempDirectory("berth-bench-nodeloss");
    report("sqlite", measure(dir.resolve("sqlite"), "sqlite://" + dir.resolve("sqlite/berth.db"), engine));
    try (EtcdProcess etcd = EtcdProcess.start()) {
      report("etcd", measure(dir.resolve("etcd"), etcd.url(), engine));
    }
  }

  static List<Double> measure(Path dir, String store, String engine) throws Exception {
    Files.createDirectories(dir);
    int api = BerthJar.freePort();
    int cluster = BerthJar.freePort();
    Path mdata = dir.resolve("manager");
    Process manager = BerthJar.start(dir.resolve("manager.log"), "manage", "--store", store, "--data", mdata.toString(),
        "--api-addr", "127.0.0.1:" + api, "--cluster-addr", "127.0.0.1:" + cluster);
    List<Double> seconds = new ArrayList<>();
    try {
      BerthJar.await(manager, dir.resolve("manager.log"), "berth manager is running", Duration.ofSeconds(30));
      String token = Json.MAPPER
          .readTree(BerthJar.get(api, mdata, "/v1/join-token")).path("token").asText();
      for (int i = 0; i < SAMPLES; i++) {
        Path log = dir.resolve("agent-" + i + ".log");
        Process agent = BerthJar.start(log, "join", "--manager", "127.0.0.1:" + cluster, "--token", token,
            "--advertise", "127.0.0.1:" + BerthJar.freePort(), "--engine", engine, "--name", "bench", "--data", dir.resolve("agent").toString());
        BerthJar.await(agent, log, "node-registered", Duration.ofSeconds(30));
        while (!state(api, mdata).equals("ready")) Thread.sleep(20);
        Thread.sleep(1000 + (long) (Math.random() * 3000)); // kill at a random point of the heartbeat cycle
        agent.destroyForcibly();
        long t0 = System.nanoTime();
        while (!state(api, mdata).equals("down")) Thread.sleep(20);
        seconds.add((System.nanoTime() - t0) / 1e9);
      }
    } finally {
      manager.destroyForcibly();
    }
    return seconds;
  }

  private static String state(int api, Path mdata) {
    String body = BerthJar.get(api, mdata, "/v1/nodes/bench");
    if (body == null) return "";
    int i = body.indexOf("\"state\":\"");
    return i < 0 ? "" : body.substring(i + 9, body.indexOf('"', i + 9));
  }

  private static void report(String store, List<Double> s) {
    double max = s.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    System.out.printf("%-7s samples %s s; worst %.2f s = %.2fx the 10 s TTL (aim: <= 11 s)%n", store,
        s.stream().map(x -> String.format("%.2f", x)).toList(), max, max / 10.0);
  }
}

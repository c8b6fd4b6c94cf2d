package io.berth.bench;

import io.berth.cluster.Json;
import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.metrics.Metric;
import io.berth.core.metrics.PrometheusCheck;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code scripts/bench metrics}: fake samples (no engine needed), two parts, each beside a
 * baseline of the same run:
 *
 * <ol>
 *   <li>The manager's heap for one hour of history at 10 s of 1,000 containers (100 apps × 10
 *       instances on 10 nodes), measured after full GCs, against the raw lower bound of the samples
 *       themselves (360 × 1,000 × 8 floats); plus what a batch costs to take in and a query to answer.
 *   <li>A {@code GET /metrics} scrape of a running manager holding those 1,000 containers (time
 *       and bytes, over HTTP with the admin token) against a {@code GET /healthz} round trip on the
 *       same server.
 * </ol>
 */
final class MetricsBench {
  static final int CONTAINERS = 1_000;
  static final int NODES = 10;
  static final int APPS = 100;
  static final int SLOTS = 360;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private MetricsBench() {}

  static void run() throws Exception {
    heap();
    scrape();
  }

  /** The fleet: ids, names and Berth labels of each node's containers. */
  record Fleet(List<List<MetricsBatch.Container>> byNode) {
    static Fleet make(Random random) {
      List<List<MetricsBatch.Container>> nodes = new ArrayList<>();
      for (int n = 0; n < NODES; n++) nodes.add(new ArrayList<>());
      for (int i = 0; i < CONTAINERS; i++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        int app = i % APPS;
        int index = i / APPS;
        Map<String, String> labels = Map.of("io.berth.domain", "apps", "io.berth.process-guid", "app-" + app + "-v3",
            "io.berth.index", Integer.toString(index), "io.berth.instance-guid", HexFormat.of().formatHex(id, 0, 16));
        nodes.get(i % NODES).add(new MetricsBatch.Container(HexFormat.of().formatHex(id), "app-" + app + "-" + index, labels, null));
      }
      return new Fleet(nodes);
    }

    /** Node {@code n}'s batch at {@code at}: fresh values (and fresh strings, as JSON decoding makes them). */
    MetricsBatch batch(int n, long at, Random random) {
      List<MetricsBatch.Container> cs = new ArrayList<>();
      for (MetricsBatch.Container c : byNode.get(n)) {
        cs.add(new MetricsBatch.Container(new String(c.id()), new String(c.name()), new HashMap<>(c.labels()),
            new MetricsBatch.Values(random.nextDouble() * 100, 1e7 + random.nextInt(1 << 26), 256e6, random.nextDouble() * 1e5,
                random.nextDouble() * 1e5, random.nextDouble() * 1e4, random.nextDouble() * 1e4, (double) (1 + random.nextInt(20)))));
      }
      return new MetricsBatch(at, 10, 4, 16L << 30, new MetricsBatch.Values(50.0, 1e9, 16e9, 1e5, 1e5, 1e4, 1e4, 200.0), cs);
    }
  }

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static void heap() throws Exception {
    Random random = new Random(7);
    Fleet fleet = Fleet.make(random);
    long t0 = 1_780_000_000_000L;
    // Warm the code paths on a throw-away history, so class loading and JIT are not in the measure.
    MetricsHistory warm = new MetricsHistory(Duration.ofHours(1));
    for (int s = 0; s < 20; s++) for (int n = 0; n < NODES; n++) warm.accept("node" + n, fleet.batch(n, t0 + s * 10_000L + 5_000, random), t0 + s * 10_000L + 5_000);
    warm = null;
    long before = usedAfterGc();
    MetricsHistory h = new MetricsHistory(Duration.ofHours(1));
    long acceptNanos = 0;
    for (int s = 0; s < SLOTS; s++) {
      long at = t0 + s * 10_000L + 5_000;
      for (int n = 0; n < NODES; n++) {
        MetricsBatch b = fleet.batch(n, at, random);
        long a = System.nanoTime();
        h.accept("node" + n, b, at);
        acceptNanos += System.nanoTime() - a;
      }
    }
    long after = usedAfterGc();
    long now = t0 + SLOTS * 10_000L;
    long q0 = System.nanoTime();
    int queries = 200;
    for (int i = 0; i < queries; i++) h.app("app-" + (i % APPS), now - 3_600_000, now, 10_000);
    double appQueryMs = (System.nanoTime() - q0) / 1e6 / queries;
    q0 = System.nanoTime();
    for (int i = 0; i < queries; i++) h.node("node" + (i % NODES), now - 3_600_000, now);
    double nodeQueryMs = (System.nanoTime() - q0) / 1e6 / queries;
    // The wire: one node's batch as the agent POSTs it, decoded and taken in as the cluster endpoint does.
    byte[] wire = Json.bytes(fleet.batch(0, now, random));
    for (int i = 0; i < 200; i++) h.accept("node0", Json.read(wire, MetricsBatch.class), now);
    long d0 = System.nanoTime();
    for (int i = 0; i < 1000; i++) h.accept("node0", Json.read(wire, MetricsBatch.class), now);
    double decodeAndAcceptUs = (System.nanoTime() - d0) / 1e3 / 1000;
    int kept = h.containerCount();
    Reference.reachabilityFence(h);
    long retained = after - before;
    long raw = (long) CONTAINERS * SLOTS * Metric.COUNT * Float.BYTES;
    System.out.println("== metrics: history of " + kept + " containers x " + SLOTS + " slots (1 h at 10 s), " + NODES + " nodes, " + APPS + " apps");
    System.out.printf("%-44s %12s %12s %10s%n", "", "measured", "baseline", "ratio");
    System.out.printf("%-44s %10.1f MB %10.1f MB %9.2fx%n", "heap retained vs raw floats (8 x 4 B/sample)", retained / 1e6, raw / 1e6,
        (double) retained / raw);
    System.out.printf("%-44s %10.1f KB%n", "heap per container", retained / 1e3 / kept);
    System.out.printf("%-44s %10.1f us%n", "take in one node's batch (100 containers)", acceptNanos / 1e3 / (SLOTS * NODES));
    System.out.printf("%-44s %10.1f KB%n", "one node's batch on the wire (JSON)", wire.length / 1e3);
    System.out.printf("%-44s %10.1f us%n", "decode it and take it in", decodeAndAcceptUs);
    System.out.printf("%-44s %10.2f ms%n", "app series, 1 h, 10 instances (in process)", appQueryMs);
    System.out.printf("%-44s %10.2f ms%n", "node series, 1 h (in process)", nodeQueryMs);
  }

  static void scrape() throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-metrics");
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      Manager m = Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager"), "sqlite://", Duration.ofSeconds(10),
          Duration.ofSeconds(3), Strategy.SPREAD, Scheduler.FILTERS, null, null), store,
          Clock.systemUTC());
      try {
        String token = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
        Random random = new Random(11);
        Fleet fleet = Fleet.make(random);
        long now = System.currentTimeMillis();
        for (int s = 2; s >= 0; s--) for (int n = 0; n < NODES; n++) m.metrics().accept("node" + n, fleet.batch(n, now - s * 10_000L, random));
        String base = "http://127.0.0.1:" + m.apiPort();
        HttpRequest metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + token).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/healthz")).build();
        HttpRequest gzipped = HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + token)
            .header("Accept-Encoding", "gzip").build();
        for (int i = 0; i < 50; i++) {
          if (i % 10 == 0) for (int n = 0; n < NODES; n++) m.metrics().accept("node" + n, fleet.batch(n, System.currentTimeMillis(), random));
          HTTP.send(metrics, HttpResponse.BodyHandlers.ofByteArray());
          HTTP.send(health, HttpResponse.BodyHandlers.ofByteArray());
        }
        int rounds = 200;
        double[] scrapeMs = new double[rounds];
        double[] healthMs = new double[rounds];
        double[] gzipMs = new double[rounds];
        int bytes = 0;
        int gzipBytes = 0;
        String body = "";
        int minBytes = Integer.MAX_VALUE;
        long fed = System.currentTimeMillis();
        for (int i = 0; i < rounds; i++) {
          if (System.currentTimeMillis() - fed > 5_000) { // as the agents would: a container is "running" while its samples are fresh
            fed = System.currentTimeMillis();
            for (int n = 0; n < NODES; n++) m.metrics().accept("node" + n, fleet.batch(n, fed, random));
          }
          long a = System.nanoTime();
          HttpResponse<byte[]> r = HTTP.send(metrics, HttpResponse.BodyHandlers.ofByteArray());
          minBytes = Math.min(minBytes, r.body().length);
          scrapeMs[i] = (System.nanoTime() - a) / 1e6;
          bytes = r.body().length;
          if (i == 0) body = new String(r.body(), StandardCharsets.UTF_8);
          a = System.nanoTime();
          HTTP.send(health, HttpResponse.BodyHandlers.ofByteArray());
          healthMs[i] = (System.nanoTime() - a) / 1e6;
          a = System.nanoTime();
          gzipBytes = HTTP.send(gzipped, HttpResponse.BodyHandlers.ofByteArray()).body().length;
          gzipMs[i] = (System.nanoTime() - a) / 1e6;
        }
        int samples = PrometheusCheck.check(body);
        if (minBytes < bytes * 0.9) throw new IllegalStateException("containers went stale during the scrape rounds: " + minBytes + " B");
        for (int n = 0; n < NODES; n++) m.metrics().accept("node" + n, fleet.batch(n, System.currentTimeMillis(), random));
        long g0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) m.metrics().scrape();
        double renderMs = (System.nanoTime() - g0) / 1e6 / rounds;
        Arrays.sort(scrapeMs);
        Arrays.sort(healthMs);
        Arrays.sort(gzipMs);
        System.out.println("== metrics: GET /metrics of a manager holding " + CONTAINERS + " running containers on " + NODES + " nodes ("
            + samples + " samples, " + rounds + " rounds) vs GET /healthz on the same server");
        System.out.printf("%-44s %12s %12s %10s%n", "", "/metrics", "/healthz", "ratio");
        System.out.printf("%-44s %12.2f %12.2f %9.1fx%n", "median ms", scrapeMs[rounds / 2], healthMs[rounds / 2],
            scrapeMs[rounds / 2] / healthMs[rounds / 2]);
        System.out.printf("%-44s %12.2f %12.2f %9.1fx%n", "p95 ms", scrapeMs[rounds * 95 / 100], healthMs[rounds * 95 / 100],
            scrapeMs[rounds * 95 / 100] / healthMs[rounds * 95 / 100]);
        System.out.printf("%-44s %12d %12d %9.0fx%n", "body bytes", bytes, 3, bytes / 3.0);
        System.out.printf("%-44s %12.2f %12.2f %9.1fx%n", "gzip (Accept-Encoding: gzip) median ms", gzipMs[rounds / 2],
            healthMs[rounds / 2], gzipMs[rounds / 2] / healthMs[rounds / 2]);
        System.out.printf("%-44s %12d %12d %9.1fx%n", "gzip body bytes vs plain", gzipBytes, bytes, (double) bytes / gzipBytes);
        System.out.printf("%-44s %12.2f%n", "rendering the text alone, ms (in process)", renderMs);
      } finally {
        m.close();
      }
    }
  }
}

package io.berth.bench;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.Convergence;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.ModificationTag;
import io.berth.core.lrp.PortMapping;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.lrp.Lrps;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * {@code scripts/bench converge}: one convergence pass of the manager over N simulated nodes and
 * M running instances in the SQLite store (the store reads, the diff, the writes), beside the pure
 * diff alone on the same snapshot; then the pass that places again the instances of one lost node;
 * and the manager heap the state costs. Sizes: {@code BERTH_CONVERGE_SIZES} (default
 * {@code 1000x10000,10000x100000}: nodes x instances, 100 instances per DesiredLRP).
 */
final class ConvergenceBench {
  private ConvergenceBench() {}

  static void run() throws Exception {
    String sizes = System.getenv().getOrDefault("BERTH_CONVERGE_SIZES", "1000x10000,10000x100000");
    System.out.println("== converge: one convergence pass over N nodes and M running instances (SQLite), beside the pure diff");
    System.out.printf("%-22s %12s %12s %9s %14s %10s %10s%n", "cluster", "pass p50 ms", "diff p50 ms", "ratio", "lost-node ms",
        "moved", "heap MiB");
    for (String size : sizes.split(",")) {
      String[] nm = size.split("x");
      measure(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
    }
  }

  static void measure(int nodes, int instances) throws Exception {
    Path dir = Files.createTempDirectory("berth-bench-converge");
    long heapBefore = heap();
    try (StateStore store = StateStores.open("sqlite://" + dir.resolve("berth.db"))) {
      List<NodeView> views = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        views.add(new NodeView(NodeName.of("n" + n), "id" + n, true, Map.of(), 4, 8L << 30, List.of(), Set.of("berth/busybox:1")));
        store.put(Keys.health("n" + n), new byte[0]);
      }
      Action run = new Action.Run("/bin/sleep", List.of("600"), null, null, null, "root", null);
      Map<ProcessGuid, DesiredLrp> desired = new HashMap<>();
      List<ActualLrp> actuals = new ArrayList<>();
      Set<InstanceGuid> assigned = new HashSet<>();
      long now = System.currentTimeMillis() * 1_000_000L;
      int perLrp = 100;
      int node = 0;
      for (int p = 0; p * perLrp < instances; p++) {
        ProcessGuid guid = new ProcessGuid("app-" + p);
        DesiredLrp d = new DesiredLrp(guid, new Domain("apps"), "docker:///berth/busybox#1", perLrp, List.of(), 0, 0, 16, false, null, run, null,
            null, 0, List.of(8080), Map.of(), null, null, null, null, List.of(), new ModificationTag("e", 0));
        desired.put(guid, d);
        store.put(Keys.desired(guid.value()), Json.bytes(d));
        for (int i = 0; i < perLrp; i++) {
          String cell = "n" + (node++ % nodes);
          ActualLrp a = ActualLrp.unclaimed(guid, i, new Domain("apps"), now, "e").claim(NodeName.of(cell), new InstanceGuid(guid + "-" + i), now)
              .running("127.0.0.1", List.of(new PortMapping(8080, 61000)), now);
          actuals.add(a);
          assigned.add(a.instanceGuid());
          store.put(Keys.actual(guid.value(), i), Json.bytes(a));
          store.put(Keys.assignment(cell, a.instanceGuid().value()), "{}".getBytes());
        }
      }
      Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
      try (Lrps lrps = Lrps.start(store, Clock.systemUTC(), scheduler, () -> views, n -> "127.0.0.1", Duration.ofHours(1))) {
        lrps.convergeNow();
        long[] pass = new long[5];
        for (int i = 0; i < pass.length; i++) pass[i] = lrps.convergeNow();
        Set<NodeName> live = new HashSet<>();
        for (NodeView v : views) live.add(v.name());
        Convergence.Snapshot snap = new Convergence.Snapshot(desired, actuals, Set.of(), live, assigned);
        long[] diff = new long[5];
        for (int i = 0; i < 3; i++) Convergence.plan(snap, now, RestartPolicy.DIEGO, "e");
        for (int i = 0; i < diff.length; i++) {
          long t0 = System.nanoTime();
          Convergence.plan(snap, now, RestartPolicy.DIEGO, "e");
          diff[i] = System.nanoTime() - t0;
        }
        snap = null;
        actuals.clear();
        desired.clear();
        assigned.clear();
        long heap = heap() - heapBefore; // the store's pages are off-heap; this is the manager's own state
        // Lose one node: its instances are placed on the others in the next pass.
        views.remove(0);
        store.delete(Keys.health("n0"));
        long lost = lrps.convergeNow();
        long moved = lrps.service().actuals(Optional.empty()).stream()
            .filter(a -> a.state() == ActualState.CLAIMED).count();
        System.out.printf("%-22s %12.1f %12.1f %8.1fx %14.1f %10d %10d%n", nodes + " nodes / " + instances, p50(pass) / 1e6, p50(diff) / 1e6,
            p50(pass) / (double) p50(diff), lost / 1e6, moved, heap >> 20);
      }
    }
  }

  static long p50(long[] xs) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static long heap() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}

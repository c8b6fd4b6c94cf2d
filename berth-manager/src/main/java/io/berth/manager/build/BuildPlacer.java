package io.berth.manager.build;

import io.berth.cluster.Json;
import io.berth.cluster.loop.LoopTime;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.cluster.wire.BuildJob;
import io.berth.core.Keys;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's build placer, a {@link ReconcileLoop} over the runs in the store: it starts queued runs
 * on their build's node ({@link BuildQueue}), fails runs whose node was lost or whose time ran out,
 * and keeps {@code /berth/build-jobs/{node}/…} equal to the runs running there.
 *
 * <p>Invariants: a run is marked running on a node before its job is written, so a job never exists
 * for a run the store does not show running there; a job whose run is not running there is deleted
 * (that is how a cancel or a failure reaches the agent); a node never holds more running runs than
 * its slots, counted from the runs, not the jobs.
 */
public final class BuildPlacer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BuildPlacer.class);
  static final Duration PERIOD = Duration.ofSeconds(5);
  private final BuildStore reads;
  private final StateStore writes;
  private final Supplier<List<Node>> nodes;
  private final Jobs jobs;
  private final Activity activity;
  private final Clock clock;
  private final ReconcileLoop loop;
  private Watch runWatch;
  private Watch nodeWatch;

  BuildPlacer(BuildStore reads, Singletons leader, Supplier<List<Node>> nodes, Jobs jobs, Activity activity, Clock clock, LoopTime time) {
    this.activity = activity;
    this.reads = reads;
    this.writes = leader.store();
    this.nodes = nodes;
    this.jobs = jobs;
    this.clock = clock;
    this.loop = ReconcileLoop.named("build-placer").every(PERIOD).gate(leader.gate()).time(time)
        .onFailure(e -> log.warn("build-placer-pass-failed: {}", e.toString())).build(this::pass);
  }

  void start() {
    runWatch = reads.raw().watch(BuildStore.ACTIVE, 0, e -> loop.signal()); // a run queued or ended
    nodeWatch = reads.raw().watch(Keys.NODES, 0, e -> loop.signal());
    loop.start();
  }

  /** Asks for a pass (a new run, a cancel, a change of leader). */
  public void signal() {
    loop.signal();
  }

  /** One pass: decide with {@link BuildQueue}, then write the decisions. */
  void pass() {
    Instant now = clock.instant();
    Map<String, Integer> buildNodes = new HashMap<>();
    for (Node n : nodes.get()) {
      if (n.state() == NodeState.READY && BuildQueue.takesBuilds(n.labels())) buildNodes.put(n.name().value(), BuildQueue.slots(n.labels()));
    }
    List<Run> active = reads.activeRuns(writes);
    Map<String, Build> builds = new HashMap<>();
    for (Run r : active) builds.computeIfAbsent(r.build(), name -> reads.find(name).orElse(null));
    BuildQueue.Plan plan = BuildQueue.plan(active, buildNodes, name -> timeout(builds.get(name)), now);
    for (BuildQueue.Failure f : plan.failures()) {
      Builds.recordEnd(activity, reads.update(writes, f.run().build(), f.run().number(),
          r -> r.ended() ? null : r.ended(Run.FAILED, f.reason(), f.step(), now, null, null)).orElse(null));
      log.info("build-run-failed build={} run={} reason={}", f.run().build(), f.run().number(), f.reason());
    }
    for (BuildQueue.Start s : plan.starts()) {
      reads.update(writes, s.run().build(), s.run().number(), r -> Run.QUEUED.equals(r.state()) ? r.placed(s.node(), now) : null);
      log.info("build-run-placed build={} run={} node={}", s.run().build(), s.run().number(), s.node());
    }
    plan.places().forEach((id, place) -> reads.update(writes, id.build(), id.number(),
        r -> Run.QUEUED.equals(r.state()) && !Objects.equals(r.place(), place) ? r.inPlace(place) : null));
    syncJobs(builds, reads.activeRuns(writes));
  }

  /** Makes the jobs in the store the runs running now: each running run has its job, and no other job is left. */
  private void syncJobs(Map<String, Build> builds, List<Run> active) {
    Set<String> wanted = new HashSet<>();
    for (Run r : active) {
      if (!Run.RUNNING.equals(r.state())) continue;
      String key = BuildStore.jobKey(r.node(), r.build(), r.number());
      wanted.add(key);
      Build b = builds.computeIfAbsent(r.build(), name -> reads.find(name).orElse(null));
      if (b != null && reads.raw().get(key).isEmpty()) writes.put(key, Json.bytes(jobs.job(b, r)));
    }
    for (KeyValue kv : reads.jobs()) if (!wanted.contains(kv.key())) writes.delete(kv.key());
  }

  static int timeout(Build b) {
    return b == null || b.timeoutSeconds() == null ? BuildRequests.DEFAULT_TIMEOUT_SECONDS : b.timeoutSeconds();
  }

  /** Makes a run's job (without its registry auth, which each poll mints afresh). */
  @FunctionalInterface
  interface Jobs {
    BuildJob job(Build b, Run r);
  }

  @Override
  public void close() {
    loop.stop();
    if (runWatch != null) runWatch.close();
    if (nodeWatch != null) nodeWatch.close();
  }
}

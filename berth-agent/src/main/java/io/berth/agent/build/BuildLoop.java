package io.berth.agent.build;

import io.berth.agent.work.RegistryAuth;
import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildJobs;
import io.berth.engine.ContainerEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build node's side of builds: one thread long-polls {@code GET /v1/cluster/build-jobs?after=REV}
 * and holds the node's whole list; a job new to it starts a {@link BuildRun}, at most {@code slots}
 * at once (the rest wait for a slot in the order given), and a job that left the list is cancelled.
 *
 * <p>Invariants: a run id ({@code NAME#RUN}) runs at most once in the agent's life, even while its
 * job stays listed after its result went out; every run's report ends with its result. Runs are
 * on platform threads, not virtual ones: a build holds an engine call on the unix socket for
 * minutes, and such native calls pin a virtual thread's carrier (see {@code work.StepRunners}).
 */
public final class BuildLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BuildLoop.class);
  private final BuildManager manager;
  private final BuildTools tools;
  private final Reports reports;
  private final ExecutorService slots;
  private final Map<String, BuildRun> runs = new ConcurrentHashMap<>(); // started or waiting for a slot
  private final Set<String> seen = new HashSet<>(); // every run id taken; only the poll thread touches it
  private final Thread poller;
  private volatile boolean running = true;

  BuildLoop(BuildManager manager, BuildTools tools, Reports reports, int slots) {
    if (slots < 1) throw new IllegalArgumentException("build slots must be at least 1: " + slots);
    this.manager = manager;
    this.tools = tools;
    this.reports = reports;
    this.slots = Executors.newFixedThreadPool(slots, Thread.ofPlatform().daemon().name("agent-build-", 0).factory());
    this.poller = Thread.ofPlatform().daemon().name("agent-build-jobs").unstarted(this::polling);
  }

  /**
   * Starts taking the node's builds: workspaces under {@code buildsDir}, at most {@code slots} runs
   * at once, step images pulled with {@code auth}.
   */
  public static BuildLoop start(BuildManager manager, ContainerEngine engine, RegistryAuth auth, Path buildsDir, int slots,
                                Clock clock) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("agent-build-timer").factory());
    BuildTools tools = new BuildTools(buildsDir, new GitCheckout(), new PrepareSteps(engine, auth), new ImageSteps(engine), clock, timer);
    BuildLoop loop = new BuildLoop(manager, tools, new Reports(manager, clock).start(), slots).poll();
    log.info("build-node-ready slots={} dir={}", slots, buildsDir);
    return loop;
  }

  /** Starts asking the manager for the node's jobs. */
  BuildLoop poll() {
    poller.start();
    return this;
  }

  private void polling() {
    long revision = 0;
    boolean failing = false;
    while (running) {
      try {
        BuildJobs jobs = manager.jobs(revision);
        if (failing) log.info("build-jobs-received revision={} count={}", jobs.revision(), jobs.jobs().size());
        failing = false;
        revision = jobs.revision();
        assign(jobs.jobs());
      } catch (IOException | RuntimeException e) {
        if (!running) return;
        if (!failing) log.warn("build-jobs-unavailable: {} (runs go on; retrying)", e.getMessage());
        failing = true;
        try {
          manager.pause(2000);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Takes the node's whole list: starts what is new, cancels what left it. */
  void assign(List<BuildJob> jobs) {
    Set<String> listed = new HashSet<>();
    for (BuildJob job : jobs) {
      listed.add(job.id());
      if (!seen.add(job.id())) continue;
      BuildRun run = new BuildRun(job, reports.open(job.build(), job.run()), tools);
      runs.put(job.id(), run);
      slots.execute(() -> {
        try {
          run.run();
        } finally {
          runs.remove(job.id());
        }
      });
    }
    seen.retainAll(listed); // a run id that left the list never comes back
    runs.forEach((id, run) -> {
      if (!listed.contains(id)) {
        log.info("build-run-cancelled run={}", id);
        run.cancel();
      }
    });
  }

  /** Runs started or waiting for a slot. */
  int active() {
    return runs.size();
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    runs.values().forEach(BuildRun::cancel);
    slots.shutdownNow();
    tools.timer().shutdownNow();
    reports.close();
  }
}

package io.berth.agent;

import io.berth.agent.work.Executor;
import io.berth.agent.work.Reporter;
import io.berth.cluster.wire.Assignments;
import io.berth.cluster.wire.InstanceReport;
import io.berth.cluster.wire.InstanceReports;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the work protocol: one virtual thread long-polls
 * {@code GET /v1/cluster/assignments?after=REV} and hands each whole list to the {@link Executor};
 * another POSTs the executor's reports to {@code /v1/cluster/instances}, newest per instance guid
 * first-come, and tells the executor which arrived. While the manager is unreachable both retry
 * every second or two and the executor keeps the containers it has: nothing is stopped. When the
 * agent moves to another manager both retry there at once, the poll from the revision it had
 * (every manager reads the one store, so a revision means the same everywhere).
 */
final class WorkLoop implements Reporter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkLoop.class);
  static final Duration POLL_TIMEOUT = Duration.ofSeconds(40); // the manager answers within ~25 s: longer than its hold
  private final ManagerClient manager;
  private final LinkedBlockingQueue<InstanceReport> outbox = new LinkedBlockingQueue<>();
  private volatile Executor executor;
  /** The newest poll asked: of which manager, after which revision (tests watch a poll resume). */
  volatile Asked asked;

  record Asked(String manager, long after) {}

  private volatile boolean running = true;
  private final Thread poller;
  private final Thread sender;

  WorkLoop(ManagerClient manager) {
    this.manager = manager;
    this.poller = Thread.ofPlatform().daemon().name("agent-assignments").unstarted(this::poll);
    this.sender = Thread.ofPlatform().daemon().name("agent-reports").unstarted(this::send);
  }

  void start(Executor executor) {
    this.executor = executor;
    poller.start();
    sender.start();
  }

  @Override
  public void report(List<InstanceReport> reports) {
    outbox.addAll(reports);
  }

  private void poll() {
    long revision = 0;
    boolean failing = false;
    while (running) {
      long moves = manager.managers().moves();
      asked = new Asked(manager.managers().current(), revision);
      try {
        Assignments a = manager.get("/v1/cluster/assignments?after=" + revision, Assignments.class, POLL_TIMEOUT);
        if (failing || revision == 0) log.info("assignments-received revision={} count={}", a.revision(), a.assignments().size());
        failing = false;
        revision = a.revision();
        executor.assign(a.assignments());
      } catch (IOException | RuntimeException e) {
        if (!failing) log.warn("assignments-unavailable: {} (containers keep running; retrying)", Agent.describe(e));
        failing = true;
        if (!pause(moves, 2000)) return;
      }
    }
  }

  private void send() {
    while (running) {
      List<InstanceReport> batch = new ArrayList<>();
      try {
        InstanceReport first = outbox.poll(1, TimeUnit.SECONDS);
        if (first == null) continue;
        batch.add(first);
        outbox.drainTo(batch);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, InstanceReport> latest = new LinkedHashMap<>(); // a later state of one guid replaces an earlier one
      for (InstanceReport r : batch) latest.put(r.instanceGuid(), r);
      List<InstanceReport> reports = List.copyOf(latest.values());
      long moves = manager.managers().moves();
      try {
        manager.send("/v1/cluster/instances", new InstanceReports(reports));
        executor.delivered(reports);
      } catch (IOException | RuntimeException e) {
        log.warn("instance-reports-unsent count={}: {} (retrying)", reports.size(), Agent.describe(e));
        reports.forEach(r -> outbox.offer(r)); // the executor also resends every state every 10 s
        if (!pause(moves, 1000)) return;
      }
    }
  }

  /** Waits {@code millis}, or less when the agent moves to another manager; false when interrupted. */
  private boolean pause(long moves, long millis) {
    try {
      manager.managers().awaitMove(moves, millis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    sender.interrupt();
  }
}

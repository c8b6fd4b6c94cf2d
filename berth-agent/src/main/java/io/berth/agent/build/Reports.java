package io.berth.agent.build;

import io.berth.cluster.Refused;
import io.berth.cluster.wire.BuildReport;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the runs' reports to the manager in batches: every {@value #INTERVAL_MILLIS} ms, or at once
 * when {@value #BATCH_LINES} lines wait or a run ends. Each run's batches go in {@code seq} order
 * and a batch is dropped only once delivered; while the manager cannot be reached the sender backs
 * off (up to {@value #MAX_BACKOFF_MILLIS} ms, less when the agent moves to another manager) and
 * keeps everything. A manager that refuses a run's report (4xx: it no longer knows the run) ends
 * that run's report, since asking again will not change a no.
 */
final class Reports implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reports.class);
  static final int BATCH_LINES = 100;
  static final int MAX_EVENTS = 500;
  static final long INTERVAL_MILLIS = 200;
  static final long MAX_BACKOFF_MILLIS = 10_000;
  private final BuildManager manager;
  private final Clock clock;
  private final List<RunLog> open = new CopyOnWriteArrayList<>(); // in the order the runs began
  private final Object signal = new Object();
  private boolean woken; // guarded by signal
  private boolean failing;
  private volatile Thread thread;

  Reports(BuildManager manager, Clock clock) {
    this.manager = manager;
    this.clock = clock;
  }

  /** Starts the sending thread (platform: it must run while build steps hold every other thread). */
  Reports start() {
    return start(Thread.ofPlatform().daemon().name("agent-build-reports").factory());
  }

  /**
   * Starts the sending thread from {@code threads}. The thread is known before it runs: its loop lasts while it is
   * the one, and a loop that began before the field was set ended at once, so no report ever went out (seen under CI load).
   */
  Reports start(ThreadFactory threads) {
    Thread t = threads.newThread(this::loop);
    thread = t;
    t.start();
    return this;
  }

  /** A new run's log, reported until its result is delivered. */
  RunLog open(String build, int run) {
    RunLog runLog = new RunLog(build, run, clock, this::wake);
    open.add(runLog);
    return runLog;
  }

  /** Runs whose report is not yet wholly delivered. */
  int pending() {
    return open.size();
  }

  /** Sends every waiting batch of every run; false when the manager could not be reached (nothing is lost). */
  boolean flush() {
    for (RunLog runLog : open) {
      for (BuildReport batch; (batch = runLog.next(MAX_EVENTS)) != null; ) {
        try {
          manager.report(batch);
        } catch (Refused e) {
          if (e.status() >= 500) return unreachable(batch, e);
          log.warn("build-report-refused run={} status={}: {} (its report ends here)", runLog.id(), e.status(), e.getMessage());
          open.remove(runLog);
          break;
        } catch (IOException | RuntimeException e) {
          return unreachable(batch, e);
        }
        if (failing) log.info("build-reports-delivered again");
        failing = false;
        if (runLog.delivered(batch)) {
          open.remove(runLog);
          break;
        }
      }
    }
    return true;
  }

  private boolean unreachable(BuildReport batch, Exception e) {
    if (!failing) log.warn("build-report-unsent run={}#{} seq={}: {} (retrying)", batch.build(), batch.run(), batch.seq(), e.getMessage());
    failing = true;
    return false;
  }

  private void loop() {
    long backoff = 0;
    while (thread == Thread.currentThread()) {
      try {
        if (backoff > 0) manager.pause(backoff);
        else await();
        backoff = flush() ? 0 : Math.min(MAX_BACKOFF_MILLIS, Math.max(500, backoff * 2));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // Nothing is dropped: the batch in hand stays at its run's front. A sender that died here would leave
        // every run of the node unfinished, and its build slots taken, without a word.
        log.error("build-reports-failed: {} (retrying)", e, e);
        backoff = MAX_BACKOFF_MILLIS / 10;
      }
    }
  }

  private void await() throws InterruptedException {
    synchronized (signal) {
      if (!woken) signal.wait(INTERVAL_MILLIS);
      woken = false;
    }
  }

  private void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** Stops sending; a report still waiting is lost with the agent, and the manager fails the run when the node is gone. */
  @Override
  public void close() {
    Thread t = thread;
    thread = null;
    if (t != null) t.interrupt();
  }
}

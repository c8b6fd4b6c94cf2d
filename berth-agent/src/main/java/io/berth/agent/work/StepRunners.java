package io.berth.agent.work;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the executor's steps run: at most one at a time per instance guid (the guid is busy from
 * submit until the step ends), creates on their own threads beside the other steps, so health
 * checks and crash reports never wait behind a queue of creates.
 */
final class StepRunners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StepRunners.class);
  static final int CONCURRENT_CREATES = 3;

  private final Executor steps;
  private final Executor creates;
  private final Runnable ended;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  /** {@code ended} runs after every step (it wakes the executor's loop). */
  StepRunners(Executor steps, Executor creates, Runnable ended) {
    this.steps = steps;
    this.creates = creates;
    this.ended = ended;
  }

  /**
   * Platform threads: the engine client reaches a unix socket through native calls, which pin a
   * virtual thread's carrier, and a burst of creates on virtual threads starved the agent's
   * heartbeats (nodes went down while starting 100 instances). Creates run
   * {@value #CONCURRENT_CREATES} at a time — an engine makes containers no faster for being asked
   * 30 at once.
   */
  static Executor platformSteps() {
    return platform("agent-step", 4);
  }

  static Executor platformCreates() {
    return platform("agent-create", CONCURRENT_CREATES);
  }

  private static ExecutorService platform(String name, int threads) {
    return Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
  }

  /** A create step, run on the creates' own threads. */
  record Create(Runnable step) implements Runnable {
    @Override
    public void run() {
      step.run();
    }
  }

  boolean busy(String guid) {
    return busy.contains(guid);
  }

  /** The guids with a step in flight now. */
  Set<String> busyNow() {
    return Set.copyOf(busy);
  }

  void submit(String guid, Runnable step) {
    busy.add(guid);
    try {
      (step instanceof Create ? creates : steps).execute(() -> {
        try {
          step.run();
        } catch (RuntimeException e) {
          log.warn("executor-step-failed instance={}: {}", guid, e.toString());
        } finally {
          busy.remove(guid);
          ended.run();
        }
      });
    } catch (RuntimeException e) {
      busy.remove(guid);
      throw e;
    }
  }

  /**
   * Steps in flight are interrupted, not waited for: their containers are the engine's, and a
   * restarted agent adopts them.
   */
  @Override
  public void close() {
    for (Executor runner : List.of(steps, creates)) {
      if (runner instanceof ExecutorService pool) pool.shutdownNow();
    }
  }
}

package io.berth.cluster.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconcile loop on one thread (Helios' and Diego's shape): {@link #signal()} wakes it (now, or
 * later by {@link #signalIn}), a period forces a full pass, a pass that throws is retried with capped
 * back-off, and {@link #stop()} ends it.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Passes never overlap: one thread runs them all.
 *   <li>Signals coalesce: however many arrive while a pass runs, they cause exactly one more pass,
 *       and no signal is lost — one that arrives after a pass began is always followed by a pass.
 *   <li>Level-triggered: while the gate is open, passes are at most one period apart (or what the
 *       last pass asked for), so a missed signal only delays a change, never loses it.
 *   <li>A failing pass is logged once per streak of failures, retried after 1, 2, 4… times the
 *       first back-off up to its cap, and signals do not cut a back-off short.
 *   <li>The {@link Gate} is asked before every pass; a closed gate skips the pass, not the wait.
 *   <li>When {@link #stop()} returns, the thread has ended: no pass runs and none will start.
 * </ul>
 */
public final class ReconcileLoop {
  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
  /** Longer than any wait a loop asks for, short enough that adding it to a clock never overflows. */
  private static final long FOREVER = Long.MAX_VALUE / 4;

  /**
   * One pass of a loop whose pace it sets: it returns how long the loop may wait for a signal before
   * the next pass (zero: at once). A pass may throw; the loop then backs off.
   */
  @FunctionalInterface
  public interface Pass {
    Duration run() throws Exception;
  }

  private final String name;
  private final long period;
  private final long firstBackoff;
  private final long maxBackoff;
  private final long gather;
  private final long minGap;
  private final Gate gate;
  private final LoopTime time;
  private final Consumer<Exception> onFailure;
  private final Pass pass;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean signalled; // guarded by lock
  /** When delayed signals are due, soonest first; guarded by lock. */
  private final PriorityQueue<Long> due = new PriorityQueue<>();
  private volatile boolean stopped;
  private final Thread thread;

  private ReconcileLoop(Builder b, Pass pass) {
    this.name = b.name;
    this.period = b.period.toNanos();
    this.maxBackoff = b.maxBackoff < 0 ? period : b.maxBackoff;
    this.firstBackoff = b.firstBackoff < 0 ? Math.min(Duration.ofSeconds(1).toNanos(), maxBackoff) : b.firstBackoff;
    this.gather = b.gather;
    this.minGap = b.minGap;
    this.gate = b.gate;
    this.time = b.time;
    this.onFailure = b.onFailure;
    this.pass = pass;
    this.thread = b.thread.name(name).unstarted(this::run);
  }

  /** A loop to configure; {@code name} names its thread and its log lines. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** The name of its thread and of its log lines. */
  public String name() {
    return name;
  }

  /** Asks for a pass soon; never blocks, and any number of calls during a pass cause one more. */
  public void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Signals the loop once {@code delay} has passed; never blocks. */
  public void signalIn(Duration delay) {
    lock.lock();
    try {
      due.add(time.nanoTime() + Math.min(delay.toNanos(), FOREVER));
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Starts the loop's thread; signals sent before already count. */
  public ReconcileLoop start() {
    thread.start();
    return this;
  }

  /**
   * Stops the loop: interrupts a pass in progress and returns once the thread has ended, so what the
   * passes read (a store, an engine client) may be closed after it. Called from a pass, it only
   * marks the loop stopped.
   */
  public void stop() {
    stopped = true;
    signal();
    if (Thread.currentThread() == thread || thread.getState() == Thread.State.NEW) return; // never started: it never will pass
    thread.interrupt();
    try {
      if (!thread.join(Duration.ofSeconds(5))) {
        log.warn("reconcile-loop-stop-slow loop={} (a pass is still running)", name);
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long wait = period;
    long lastStart = 0;
    boolean passed = false;
    int failures = 0;
    long backoff = 0;
    try {
      while (!stopped) {
        if (await(wait, true) && gather > 0) await(gather, false); // a burst of changes becomes one pass
        if (passed && minGap > 0) await(lastStart + minGap - time.nanoTime(), false);
        if (stopped) return;
        takeSignal();
        wait = period;
        if (!gate.open()) continue;
        lastStart = time.nanoTime();
        passed = true;
        try {
          Duration next = pass.run();
          if (next != null) wait = Math.min(Math.max(0, next.toNanos()), FOREVER);
          if (failures > 0) log.info("reconcile-pass-recovered loop={} failures={}", name, failures);
          failures = 0;
        } catch (InterruptedException e) {
          if (stopped) return;
          throw e;
        } catch (Exception e) {
          if (stopped) return; // a pass cut short by stop() has not failed
          if (failures++ == 0) onFailure.accept(e);
          else log.debug("reconcile-pass-failed-again loop={} failures={}: {}", name, failures, e.toString());
          backoff = failures == 1 ? firstBackoff : Math.min(backoff * 2, maxBackoff);
          await(backoff, false);
          wait = 0;
        }
      }
    } catch (InterruptedException e) {
      if (!stopped) log.warn("reconcile-loop-interrupted loop={}: it stops", name);
    }
  }

  private void takeSignal() {
    lock.lock();
    try {
      signalled = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits {@code nanos} on the loop's clock, or less when stopped or (if {@code signals}) signalled;
   * true when a signal ended the wait.
   */
  private boolean await(long nanos, boolean signals) throws InterruptedException {
    long deadline = time.nanoTime() + Math.min(nanos, FOREVER);
    lock.lock();
    try {
      while (!stopped && !(signals && signalled)) {
        long now = time.nanoTime();
        if (signals && !due.isEmpty() && due.peek() - now <= 0) {
          while (!due.isEmpty() && due.peek() - now <= 0) due.poll();
          signalled = true;
          break;
        }
        long left = (signals && !due.isEmpty() && due.peek() - deadline < 0 ? due.peek() : deadline) - now;
        if (left <= 0) return false;
        time.await(wake, left);
      }
      return signals && signalled;
    } finally {
      lock.unlock();
    }
  }

  /** How a loop runs; {@link #build} makes it. */
  public static final class Builder {
    private final String name;
    private Duration period = Duration.ofSeconds(5);
    private long firstBackoff = -1;
    private long maxBackoff = -1;
    private long gather;
    private long minGap;
    private Gate gate = Gate.OPEN;
    private LoopTime time = LoopTime.SYSTEM;
    private Thread.Builder thread = Thread.ofVirtual();
    private Consumer<Exception> onFailure;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
      this.onFailure = e -> log.warn("reconcile-pass-failed loop={}: {}", name, e.toString(), e);
    }

    /** The longest wait for a signal before a pass runs anyway (default 5 s). */
    public Builder every(Duration period) {
      this.period = period;
      return this;
    }

    /** The back-off after the first failure of a streak, doubled per failure up to {@code max} (default 1 s up to the period). */
    public Builder backoff(Duration first, Duration max) {
      this.firstBackoff = first.toNanos();
      this.maxBackoff = max.toNanos();
      return this;
    }

    /** After a signal wakes the loop, how long it waits for more before the pass (default none). */
    public Builder gather(Duration d) {
      this.gather = d.toNanos();
      return this;
    }

    /** Passes start at least this far apart, however often signalled (default none). */
    public Builder minGap(Duration d) {
      this.minGap = d.toNanos();
      return this;
    }

    /** What decides, before each pass, whether it may run (default {@link Gate#OPEN}). */
    public Builder gate(Gate gate) {
      this.gate = gate;
      return this;
    }

    /** The clock its waits are measured on (default {@link LoopTime#SYSTEM}; tests: {@link FakeLoopTime}). */
    public Builder time(LoopTime time) {
      this.time = time;
      return this;
    }

    /**
     * Runs the loop on a daemon platform thread, for passes whose native calls (a unix socket)
     * would pin a virtual thread's carrier.
     */
    public Builder platformThread() {
      this.thread = Thread.ofPlatform().daemon();
      return this;
    }

    /** What the first failure of a streak logs (default: a warning with the stack trace). */
    public Builder onFailure(Consumer<Exception> onFailure) {
      this.onFailure = onFailure;
      return this;
    }

    /** A loop, not yet started, whose every pass waits the period; the first pass comes at a signal or after one period. */
    public ReconcileLoop build(Runnable pass) {
      return buildPaced(() -> {
        pass.run();
        return null;
      });
    }

    /** A loop, not yet started, whose pass returns how long to wait for the next; the first comes at a signal or after one period. */
    public ReconcileLoop buildPaced(Pass pass) {
      return new ReconcileLoop(this, pass);
    }
  }
}

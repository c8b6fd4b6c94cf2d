package io.berth.cluster.pulse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the current manager's pulse (a stream with a byte every half second on a connection held
 * open: {@code GET /v1/cluster/pulse} for agents, {@code GET /v1/pulse} for routers) and tells its
 * {@link Managers} when it stays silent for {@link #SILENCE}. A manager that hangs (its process
 * stopped, its host frozen) keeps its connections open and the kernel still accepts new ones, so
 * only silence gives it away; a heartbeat alone would hear it at its next beat plus a timeout. A
 * manager without the route (older than the pulse) answers 404 and is not judged: its hang is
 * noticed as before. Nothing here decides a node's state; it only has the caller move.
 */
public final class Pulse implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Pulse.class);
  /** How often a manager writes its pulse. */
  public static final Duration EVERY = Duration.ofMillis(500);
  /** 1.2 s without a byte is two pulses missed, a stall of 0.7 s forgiven. */
  public static final Duration SILENCE = Duration.ofMillis(1200);
  /** A new stream's answer may take longer: a manager that just took a crowd of agents is busy with their handshakes. */
  static final Duration FIRST_ANSWER = Duration.ofMillis(2500);
  /** After a stream failed or ended, before it is opened again on the same manager. */
  static final Duration RETRY = Duration.ofSeconds(1);
  /** After a manager answered the pulse with anything but 200 (an older manager: 404). */
  static final Duration UNSUPPORTED_RETRY = Duration.ofSeconds(30);
  static final long CHECK_MILLIS = 100;
  private final Managers managers;
  private final Opener opener;
  private final LongSupplier nanos;
  // The pulse thread's own, but for the three the stream's threads write.
  private String address; // the manager the stream is open on
  private Stream stream; // null when none is open
  private String resting; // a manager not listened to until restUntil
  private long restUntil;
  private String unsupported; // the last manager that had no pulse, so it is logged once
  private volatile long heard; // nanos of the newest sign of life: the request, the answer, a byte
  private volatile boolean answered;
  private volatile long opened; // counts the streams: a late byte of a closed one is no sign of the current one

  /** The managers a caller knows, and what it does when one falls silent or cannot be reached. */
  public interface Managers {
    /** The manager the caller talks to now. */
    String current();

    /** Whether another manager is known: a lone manager is never left, so never judged. */
    boolean several();

    /** {@code address}'s pulse was silent for {@link #SILENCE}: it hangs; leave it. */
    void silent(String address);

    /** {@code address}'s pulse could not be opened or broke: check it now. */
    void unreachable(String address);
  }

  /** Opens a manager's pulse; {@code heard} runs at its answer and at each byte. */
  @FunctionalInterface
  public interface Opener {
    Stream open(String address, Runnable heard);
  }

  /** One open pulse: {@code ended} completes with the answer's status when it ends, or with the failure; {@code close} ends it. */
  public record Stream(CompletableFuture<Integer> ended, Runnable close) {}

  public Pulse(Managers managers, Opener opener, LongSupplier nanos) {
    this.managers = managers;
    this.opener = opener;
    this.nanos = nanos;
  }

  /** Starts a daemon platform thread named {@code name} that listens until interrupted (a pinned carrier must not delay it). */
  public static Thread start(String name, Managers managers, Opener opener) {
    return Thread.ofPlatform().daemon().name(name).start(new Pulse(managers, opener, System::nanoTime));
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          step();
        } catch (RuntimeException e) { // the pulse only hastens a move: never let it end, nor end its caller
          log.warn("manager-pulse-failed: {}", e.toString());
          close();
          rest(managers.current(), nanos.getAsLong(), RETRY);
        }
        Thread.sleep(CHECK_MILLIS);
      }
    } catch (InterruptedException e) {
      // the caller is closing
    } finally {
      close();
    }
  }

  /** One look: follows the current manager, opens its pulse when none is open, and judges the silence. */
  void step() {
    long now = nanos.getAsLong();
    String current = managers.current();
    if (stream != null && !current.equals(address)) close();
    if (stream != null && stream.ended().isDone()) ended(now);
    if (stream == null) {
      if (!current.equals(resting) || now - restUntil >= 0) open(current, now);
      return;
    }
    if (!managers.several() || now - heard <= (answered ? SILENCE : FIRST_ANSWER).toNanos()) return;
    String hung = address;
    close();
    rest(hung, now, RETRY);
    managers.silent(hung);
  }

  private void open(String to, long now) {
    address = to;
    answered = false;
    heard = now;
    long mine = ++opened;
    stream = opener.open(to, () -> {
      if (opened != mine) return;
      heard = nanos.getAsLong();
      answered = true;
    });
  }

  private void ended(long now) {
    String from = address;
    CompletableFuture<Integer> ended = stream.ended();
    stream = null;
    try {
      int status = ended.get();
      if (status == 200) {
        rest(from, now, RETRY); // the manager is stopping, or the connection was cut: the next call tells
      } else {
        if (!from.equals(unsupported)) log.info("manager-pulse-unsupported manager={} status={}: its hang is noticed by the heartbeat", from, status);
        unsupported = from;
        rest(from, now, UNSUPPORTED_RETRY);
      }
    } catch (ExecutionException e) {
      managers.unreachable(from);
      rest(from, now, RETRY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rest(String manager, long now, Duration d) {
    resting = manager;
    restUntil = now + d.toNanos();
  }

  private void close() {
    if (stream != null) stream.close().run();
    stream = null;
    address = null;
  }
}

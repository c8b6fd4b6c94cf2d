package io.berth.agent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the current manager's pulse ({@code GET /v1/cluster/pulse}: a byte every half second on
 * a connection held open) and tells the {@link ManagerSet} when it stays silent for
 * {@link #SILENCE}. A manager that hangs (its process stopped, its host frozen) keeps its
 * connections open and the kernel still accepts new ones, so only silence gives it away; the
 * heartbeat alone would hear it at its next beat plus a timeout, about 4 s at the default 3 s. A
 * manager without the route (older than the pulse) answers 404 and is not judged: its hang is
 * noticed by the heartbeat, as before. Nothing here decides a node's state; it only has the agent
 * move, and a heartbeat through any manager keeps the node's lease.
 */
final class Pulse implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Pulse.class);
  /** The manager writes every 500 ms: 1.2 s without a byte is two pulses missed and a stall of 0.7 s forgiven. */
  static final Duration SILENCE = Duration.ofMillis(1200);
  /** A new stream's answer may take longer: a manager that just took a crowd of agents is busy with their handshakes. */
  static final Duration FIRST_ANSWER = Duration.ofMillis(2500);
  /** After a stream failed or ended, before it is opened again on the same manager. */
  static final Duration RETRY = Duration.ofSeconds(1);
  /** After a manager answered the pulse with anything but 200 (an older manager: 404). */
  static final Duration UNSUPPORTED_RETRY = Duration.ofSeconds(30);
  static final long CHECK_MILLIS = 100;
  private final ManagerSet managers;
  private final Calls calls;
  private final LongSupplier nanos;
  // The pulse thread's own, but for the two the stream's threads write.
  private String address; // the manager the stream is open on
  private Stream stream; // null when none is open
  private String resting; // a manager not listened to until restUntil
  private long restUntil;
  private String unsupported; // the last manager that had no pulse, so it is logged once
  private volatile long heard; // nanos of the newest sign of life: the request, the answer, a byte
  private volatile boolean answered;
  private volatile long opened; // counts the streams: a late byte of a closed one is no sign of the current one

  /** What the pulse needs of the {@link ManagerClient}; tests give a fake. */
  interface Calls {
    /** Opens {@code address}'s pulse; {@code heard} runs at its answer and at each byte. */
    Stream pulse(String address, Runnable heard);

    /** Ends every call still waiting on {@code address}. */
    void abort(String address);
  }

  /** One open pulse: {@code ended} completes with the answer's status when it ends, or with the failure; {@code close} ends it. */
  record Stream(CompletableFuture<Integer> ended, Runnable close) {}

  Pulse(ManagerSet managers, Calls calls, LongSupplier nanos) {
    this.managers = managers;
    this.calls = calls;
    this.nanos = nanos;
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          step();
        } catch (RuntimeException e) { // the pulse only hastens a move: never let it end, nor end the agent
          log.warn("manager-pulse-failed: {}", Agent.describe(e));
          close();
          rest(managers.current(), nanos.getAsLong(), RETRY);
        }
        Thread.sleep(CHECK_MILLIS);
      }
    } catch (InterruptedException e) {
      // the agent is closing
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
    if (managers.known().size() < 2 || now - heard <= (answered ? SILENCE : FIRST_ANSWER).toNanos()) return;
    String hung = address;
    close();
    rest(hung, now, RETRY);
    if (managers.silent(hung)) calls.abort(hung); // a beat waiting on it ends now, and the heartbeat thread moves
  }

  private void open(String to, long now) {
    address = to;
    answered = false;
    heard = now;
    long mine = ++opened;
    stream = calls.pulse(to, () -> {
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
        rest(from, now, RETRY); // the manager is stopping, or the connection was cut: a refusal next tells the heartbeat
      } else {
        if (!from.equals(unsupported)) log.info("manager-pulse-unsupported manager={} status={}: its hang is noticed by the heartbeat", from, status);
        unsupported = from;
        rest(from, now, UNSUPPORTED_RETRY);
      }
    } catch (ExecutionException e) {
      managers.suspect(from); // it cannot be reached: the heartbeat checks it at once
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

package io.berth.agent;

import io.berth.cluster.Refused;
import io.berth.cluster.pulse.Pulse;
import io.berth.cluster.wire.Heartbeat;
import io.berth.cluster.wire.Registration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's heartbeat loop, and the one place that moves it to another manager. It registers,
 * then beats at the interval the manager asks for, learning the managers each answer names. A
 * beat that is refused at the connection, fails TLS or gets no answer within {@link #BEAT_TIMEOUT}
 * moves the agent on after a random jitter (so that a dead manager's nodes do not all arrive at
 * once), aborts the calls still waiting on the old manager, and beats the new one at once: the
 * node's lease lives in the store, so a beat through any manager keeps it. Another thread's
 * failed call wakes the loop early ({@link ManagerSet#suspect}); a manager whose {@link Pulse}
 * went silent is left at once, without a beat that could only time out.
 */
final class Heartbeats implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  static final Duration BEAT_TIMEOUT = Duration.ofSeconds(1);
  static final int MAX_JITTER_MILLIS = 300;
  private final ManagerClient client;
  private final ManagerSet managers;
  private final Supplier<Registration> registration;
  private final String name;
  private final Random random = new Random();
  private volatile String state = "starting";
  private volatile Beat last;

  /** The newest answered beat: through which manager, and when ({@link System#nanoTime()}). */
  record Beat(String manager, long nanos) {}

  Heartbeats(ManagerClient client, Supplier<Registration> registration, String name) {
    this.client = client;
    this.managers = client.managers();
    this.registration = registration;
    this.name = name;
  }

  /**
   * Fails with the CA pin's words when every manager given answers TLS with another cluster's
   * certificate: such an agent could never beat anywhere. One manager that is ours, answers at all
   * or cannot be reached (it may come up later) is enough to go on.
   */
  static void refuseForeign(ManagerClient client) {
    List<String> foreign = new ArrayList<>();
    for (String m : client.managers().known()) {
      try {
        client.post(m, "/v1/cluster/heartbeat", Map.of(), Heartbeat.class, BEAT_TIMEOUT);
        return;
      } catch (ManagerClient.NotOfCluster e) {
        foreign.add(e.getMessage());
      } catch (IOException | RuntimeException e) {
        return;
      }
    }
    throw new IllegalStateException(String.join("; ", foreign));
  }

  String state() {
    return state;
  }

  Beat last() {
    return last;
  }

  @Override
  public void run() {
    long interval = 3000;
    boolean registered = false;
    int failures = 0; // in a row: after one round of every known manager, wait before the next
    while (!Thread.currentThread().isInterrupted()) {
      String to = managers.current();
      if (managers.isSilent(to)) {
        String why = "no pulse for " + Pulse.SILENCE.toMillis() + " ms";
        report("manager-silent", to, why);
        if (move(to, why)) continue;
      }
      try {
        Heartbeat hb = registered
            ? client.post(to, "/v1/cluster/heartbeat?managers=true", Map.of(), Heartbeat.class, BEAT_TIMEOUT)
            : client.post(to, "/v1/cluster/register?managers=true", registration.get(), Heartbeat.class, ManagerClient.CALL_TIMEOUT);
        if (!registered || !"registered".equals(state)) log.info("node-registered name={} manager={}", name, to);
        last = new Beat(to, System.nanoTime());
        registered = true;
        state = "registered";
        failures = 0;
        interval = hb.intervalMillis();
        managers.learn(hb.managers());
      } catch (Refused e) {
        if (e.status() == 404) {
          registered = false; // the manager lost our record: register again at once
          continue;
        }
        report("manager-refused", to, e.getMessage());
      } catch (IOException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) return;
        if (managers.isSilent(to)) continue; // the pulse ended this beat: leave at the top, once
        String why = Agent.describe(e);
        report("manager-unreachable", to, why);
        if (++failures % managers.known().size() != 0 && move(to, why)) continue;
      }
      try {
        managers.awaitSuspicion(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits the jitter, moves on from {@code from}, and ends the calls still waiting on it; false when there is nowhere to go. */
  private boolean move(String from, String why) {
    try {
      Thread.sleep(random.nextInt(MAX_JITTER_MILLIS + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (managers.move(from, why).equals(from)) return false;
    client.abort(from);
    return true;
  }

  private void report(String what, String manager, String why) {
    if (!what.equals(state)) log.warn("{} manager={}: {} (containers keep running; retrying)", what, manager, why);
    state = what;
  }
}

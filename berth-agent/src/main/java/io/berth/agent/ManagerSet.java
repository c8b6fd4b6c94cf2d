package io.berth.agent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managers an agent knows (the {@code --manager} list, then what their answers name) and the
 * one it talks to now. Every thread calls the current manager; only the heartbeat thread moves
 * the agent on ({@link #move}), so two failing calls never move it twice. Others that fail say so
 * with {@link #suspect}, which has the heartbeat thread check the manager at once; the {@code Pulse}
 * says a manager went silent with {@link #silent}, which has the heartbeat thread leave it at once.
 */
final class ManagerSet {
  private static final Logger log = LoggerFactory.getLogger(ManagerSet.class);
  private final Set<String> known = new LinkedHashSet<>(); // guarded by this; given first, then learnt
  private String current; // guarded by this
  private long moves; // guarded by this
  private boolean suspected; // guarded by this
  private String silent; // guarded by this: the manager the pulse found silent, until the next move

  ManagerSet(List<String> given) {
    if (given.isEmpty()) throw new IllegalArgumentException("no manager address given");
    known.addAll(given);
    current = given.get(0);
  }

  synchronized String current() {
    return current;
  }

  /** Bumped by every move: a call that failed against an older manager may retry at once. */
  synchronized long moves() {
    return moves;
  }

  synchronized List<String> known() {
    return List.copyOf(known);
  }

  /** Adds the managers an answer named; none is forgotten, so one address is enough to start. */
  synchronized void learn(List<String> addresses) {
    for (String a : addresses) {
      if (known.add(a)) log.info("manager-learned address={}", a);
    }
  }

  /** Moves from {@code from} to the next known manager (round robin), unless another move came first; returns the current one. */
  synchronized String move(String from, String reason) {
    if (!from.equals(current) || known.size() < 2) return current;
    List<String> order = new ArrayList<>(known);
    String to = order.get((order.indexOf(from) + 1) % order.size());
    log.warn("manager-switched from={} to={} reason={}", from, to, reason);
    current = to;
    silent = null;
    moves++;
    notifyAll();
    return to;
  }

  /** Waits up to {@code millis} for a move past {@code seen} moves: a failed call retries on the new manager at once. */
  synchronized void awaitMove(long seen, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; moves == seen && left > 0; left = deadline - System.currentTimeMillis()) wait(left);
  }

  /** A call to {@code address} failed: wakes the heartbeat thread to check it now. */
  synchronized void suspect(String address) {
    if (!address.equals(current)) return;
    suspected = true;
    notifyAll();
  }

  /**
   * The pulse of {@code address} went silent: it hangs. Wakes the heartbeat thread to leave it
   * without a beat (a beat would only wait out its timeout). A lone manager is never left, so
   * nothing is noted then; false when nothing was noted.
   */
  synchronized boolean silent(String address) {
    if (!address.equals(current) || known.size() < 2) return false;
    silent = address;
    suspected = true;
    notifyAll();
    return true;
  }

  /** Whether the pulse found {@code address} silent since the last move. */
  synchronized boolean isSilent(String address) {
    return address.equals(silent);
  }

  /** Waits up to {@code millis} or until a manager is suspected; clears the suspicion. */
  synchronized void awaitSuspicion(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; !suspected && left > 0; left = deadline - System.currentTimeMillis()) wait(left);
    suspected = false;
  }
}

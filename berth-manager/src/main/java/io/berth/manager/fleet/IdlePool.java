package io.berth.manager.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kept-alive connections to nodes that are idle now, most recently used first per node, at most
 * {@code perNode} each and {@code total} over all nodes (at thousands of nodes, file descriptors run out
 * before memory does).
 *
 * <p>When the pool is full, a connection given back makes room by closing those idle too long to be used
 * again and then those idle longest, rather than being refused. Before, connections to nodes no one called
 * again stayed counted until someone took them: at 10,000 nodes the pool filled with the first 2,048 nodes'
 * and every later node's calls each paid a handshake of their own.
 */
final class IdlePool {
  private final int perNode;
  private final int total;
  private final long maxIdleNanos;
  private final AtomicInteger count = new AtomicInteger();
  private final Map<String, Deque<PooledConnection>> byAddress = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  IdlePool(int perNode, int total, long maxIdleNanos) {
    this.perNode = perNode;
    this.total = total;
    this.maxIdleNanos = maxIdleNanos;
  }

  /** The most recently used idle connection to the address that is still fit; those that are not are closed on the way. */
  PooledConnection take(String address, long nowNanos) {
    Deque<PooledConnection> idle = byAddress.get(address);
    if (idle == null) return null;
    for (PooledConnection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      count.decrementAndGet();
      if (c.fit(nowNanos)) return c;
      c.close();
    }
    return null;
  }

  boolean hasIdle(String address) {
    Deque<PooledConnection> idle = byAddress.get(address);
    return idle != null && !idle.isEmpty();
  }

  /** Keeps the connection as idle from now; false when there is no room for it (the caller closes it). */
  boolean keep(String address, PooledConnection c, long nowNanos) {
    Deque<PooledConnection> idle = byAddress.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>());
    if (idle.size() >= perNode) return false;
    if (count.incrementAndGet() > total) {
      count.decrementAndGet();
      sweep(nowNanos);
      if (count.incrementAndGet() > total) {
        count.decrementAndGet();
        return false;
      }
    }
    c.idleFrom(nowNanos);
    idle.offerFirst(c);
    return true;
  }

  int size() {
    return count.get();
  }

  /** Closes up to {@code max} idle connections, those idle longest first (the process is out of file descriptors); how many. */
  int closeIdlest(int max) {
    record Idle(String address, PooledConnection c, long since) {}
    List<Idle> all = new ArrayList<>();
    byAddress.forEach((address, idle) -> {
      for (PooledConnection c : idle) all.add(new Idle(address, c, c.idleSinceNanos()));
    });
    all.sort(Comparator.comparingLong(Idle::since));
    int closed = 0;
    for (Idle i : all) {
      if (closed >= max) break;
      Deque<PooledConnection> idle = byAddress.get(i.address());
      if (idle != null && idle.remove(i.c())) { // not taken meanwhile
        count.decrementAndGet();
        i.c().close();
        closed++;
      }
    }
    return closed;
  }

  /**
   * Closes the connections idle longer than the pool keeps them, and then, while more than three quarters of
   * the room is taken, those idle longest. One sweep at a time; a caller that finds one running goes on without.
   */
  void sweep(long nowNanos) {
    if (!sweeping.compareAndSet(false, true)) return;
    try {
      record Idle(String address, PooledConnection c) {}
      List<Idle> all = new ArrayList<>();
      byAddress.forEach((address, idle) -> {
        for (PooledConnection c : idle) all.add(new Idle(address, c));
      });
      all.sort(Comparator.comparingLong(i -> i.c().idleSinceNanos()));
      int keep = total - total / 4;
      for (Idle i : all) {
        boolean stale = nowNanos - i.c().idleSinceNanos() > maxIdleNanos;
        if (!stale && count.get() <= keep) break;
        Deque<PooledConnection> idle = byAddress.get(i.address());
        if (idle != null && idle.remove(i.c())) { // not taken meanwhile: it is this sweep's to close
          count.decrementAndGet();
          i.c().close();
        }
      }
    } finally {
      sweeping.set(false);
    }
  }
}

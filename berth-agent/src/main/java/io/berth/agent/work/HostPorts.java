package io.berth.agent.work;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Picks host ports for a new container before it is created, so its environment can name them:
 * ports in {@code [min, max]}, not held by the agent's containers, that could be bound on the
 * node's address just now. Another process may still take one before the engine binds it; the
 * engine's start then fails with "port is already allocated" and the executor tries again.
 */
final class HostPorts {
  private final int min;
  private final int max;
  private final IntPredicate free;
  private int next;

  HostPorts(int min, int max, IntPredicate free) {
    if (min < 1 || max > 65535 || min > max) throw new IllegalArgumentException("bad port range " + min + "-" + max);
    this.min = min;
    this.max = max;
    this.free = free;
    this.next = min;
  }

  /** Ports that bind on {@code address} right now count as free. */
  static IntPredicate bindable(String address) {
    return port -> {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** {@code n} free ports, skipping {@code held}; round-robin through the range so a just-freed port rests. */
  synchronized List<Integer> pick(int n, Set<Integer> held) {
    List<Integer> out = new ArrayList<>();
    int size = max - min + 1;
    for (int tried = 0; tried < size && out.size() < n; tried++) {
      int port = next;
      next = next == max ? min : next + 1;
      if (!held.contains(port) && !out.contains(port) && free.test(port)) out.add(port);
    }
    if (out.size() < n) throw new IllegalStateException("no free host port in " + min + "-" + max);
    return out;
  }
}

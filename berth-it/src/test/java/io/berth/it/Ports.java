package io.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback for the processes a test starts. Chosen below the range the kernel takes outgoing
 * connections' ports from: a port from that range, free when chosen, can become some connection's own before the
 * process the test starts binds it ("the address is in use"), as an AlertIT run once found.
 */
final class Ports {
  private static final int LOW = 20_000;
  /** Handed out already in this JVM: never twice. */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private Ports() {}

  static int free() {
    int high = ephemeralLow();
    for (int tries = 0; high - LOW > 1_000 && tries < 200; tries++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, high);
      if (GIVEN.add(port) && bindable(port)) return port;
    }
    try (ServerSocket s = new ServerSocket(0)) { // no room below the range: the kernel's choice, as before
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lowest port the kernel gives outgoing connections (Linux), or 32768 where it does not say. */
  private static int ephemeralLow() {
    try {
      // A line read, not the whole file: /proc says its size is 0, and a read sized by it stops short.
      try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        return Integer.parseInt(r.readLine().trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port)); // every address, loopback and the nodes' 127.0.0.1N among them
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until something accepts connections on {@code host:port}. */
  static void awaitListening(String host, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("nothing listens on " + host + ":" + port + " after " + timeout);
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }
}

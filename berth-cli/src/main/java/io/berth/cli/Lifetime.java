package io.berth.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * Holds what a long-running command started and closes it in reverse order on SIGINT / SIGTERM,
 * or when start-up fails half-way, so no listener or lock outlives a failed start.
 */
final class Lifetime implements AutoCloseable {
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  /** Blocks until the process is asked to stop, then closes everything. */
  void awaitShutdown() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close();
      stopped.countDown();
    }, "berth-shutdown"));
    stopped.await();
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }
}

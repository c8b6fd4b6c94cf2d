package io.berth.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one watch's events to its consumer on a thread of its own, in order. Producers only
 * enqueue, so a slow consumer never blocks a writer; the queue is unbounded, so a consumer that
 * never catches up costs memory rather than stalling the store.
 */
final class WatchDelivery implements Watch {
  private static final Logger log = LoggerFactory.getLogger(WatchDelivery.class);
  private static final Object STOP = new Object();

  private final String prefix;
  private final Consumer<WatchEvent> consumer;
  private final Runnable onClose;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Thread thread;
  private volatile boolean closed;

  WatchDelivery(String prefix, Consumer<WatchEvent> consumer, Runnable onClose) {
    this.prefix = prefix;
    this.consumer = consumer;
    this.onClose = onClose;
  }

  String prefix() {
    return prefix;
  }

  boolean matches(String key) {
    return key.startsWith(prefix);
  }

  /** Enqueues a live event; ignored once closed. */
  void offer(WatchEvent event) {
    if (!closed) {
      queue.add(event);
    }
  }

  /**
   * Starts the delivery thread, which first hands over {@code replay} and then whatever was
   * offered meanwhile; callers make sure the two do not overlap.
   */
  void start(List<WatchEvent> replay) {
    thread = Thread.ofVirtual().name("berth-watch " + prefix).start(() -> run(replay));
  }

  private void run(List<WatchEvent> replay) {
    try {
      for (WatchEvent event : replay) {
        if (closed) {
          return;
        }
        deliver(event);
      }
      while (!closed) {
        Object next = queue.take();
        if (next == STOP || closed) {
          return;
        }
        deliver((WatchEvent) next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(WatchEvent event) {
    try {
      consumer.accept(event);
    } catch (RuntimeException e) {
      // A failing consumer is a bug in its owner; keep the watch alive for the next event.
      log.warn("watch-consumer-failed prefix={} revision={}", prefix, event.revision(), e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    queue.add(STOP);
    onClose.run();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        // Wait for a consumer call in progress so that none happens after close returns.
        if (!t.join(Duration.ofSeconds(5))) {
          log.warn("watch-close-slow prefix={}: consumer still running after 5 s", prefix);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isClosed() {
    return closed;
  }
}

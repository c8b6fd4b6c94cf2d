package io.berth.manager.fleet;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The container reads one node's cache has been asked for and has not begun. A read that begins after a request
 * sees everything the node did before it, so a request for a container already waiting joins that read rather
 * than adding one: a container's create and start events, a write's read-back and the event the write caused,
 * another manager's read-back of the same container, all become one read. A request may wait a little for
 * others to join it; one that must not wait brings the read forward. The reads run on a thread started while
 * there are requests, and several containers due together are read at once ({@link Reader}).
 */
final class Refreshes {
  /** At most this many containers in one read: one listing filtered on their ids, and an inspect of each. */
  static final int BATCH = 16;

  /** Reads the given containers from the node into the cache. */
  @FunctionalInterface
  interface Reader {
    void read(List<String> ids) throws IOException;
  }

  private final Reader reader;
  /** Told when a read fails: the node's cache is out of step, and its stream starts over. */
  private final Consumer<Exception> failed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition sooner = lock.newCondition();
  /** Guarded by {@link #lock}: the requests not begun, in the order they came. */
  private final Map<String, Waiting> waiting = new LinkedHashMap<>();
  /** Guarded by {@link #lock}: the requests being read now. */
  private Map<String, Waiting> reading = Map.of();
  /** The {@link #readBack} requests not done yet. */
  private final Set<CompletableFuture<Void>> readBacks = ConcurrentHashMap.newKeySet();
  private boolean draining;
  private boolean closed;
  private long reads;

  private static final class Waiting {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long dueNanos;

    Waiting(long dueNanos) {
      this.dueNanos = dueNanos;
    }
  }

  Refreshes(Reader reader, Consumer<Exception> failed) {
    this.reader = reader;
    this.failed = failed;
  }

  /**
   * Asks for a read of the container that begins no later than {@code waitNanos} from now; the future completes
   * when it is done, failed (the cache is then out of step) or the cache closed.
   */
  CompletableFuture<Void> request(String id, long waitNanos) {
    long due = System.nanoTime() + Math.max(0, waitNanos);
    lock.lock();
    try {
      if (closed) return CompletableFuture.completedFuture(null);
      Waiting w = waiting.get(id);
      if (w == null) waiting.put(id, w = new Waiting(due));
      else if (due - w.dueNanos < 0) w.dueNanos = due;
      if (!draining) {
        draining = true;
        Thread.ofVirtual().name("container-cache-reads").start(this::drain);
      } else {
        sooner.signal();
      }
      return w.done;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A request that readers of the cache wait for ({@link #settled}): a write's read-back, asked for before its
   * answer goes out, so the client's next request reads its own write.
   */
  void readBack(String id, long waitNanos) {
    CompletableFuture<Void> done = request(id, waitNanos);
    readBacks.add(done); // before this returns, so before the client can see the answer
    done.whenComplete((v, e) -> readBacks.remove(done));
  }

  /** Waits for the read-backs asked for so far; false when they take longer than {@code timeout}. */
  boolean settled(Duration timeout) {
    if (readBacks.isEmpty()) return true;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (CompletableFuture<Void> f : List.copyOf(readBacks)) f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits for a read of the container that began after it was created: one under way will do, since every read
   * of a container was asked for after something it did. For a container another manager created, known only by id.
   */
  void learn(String id) {
    CompletableFuture<Void> done;
    lock.lock();
    try {
      Waiting w = reading.get(id);
      done = w != null ? w.done : null;
    } finally {
      lock.unlock();
    }
    (done != null ? done : request(id, 0)).join();
  }

  /** Reads begun so far: how many reads the requests came to. */
  long reads() {
    lock.lock();
    try {
      return reads;
    } finally {
      lock.unlock();
    }
  }

  /** Completes every request not begun: nothing will read them. */
  void close() {
    lock.lock();
    try {
      closed = true;
      waiting.values().forEach(w -> w.done.complete(null));
      waiting.clear();
      reading.values().forEach(w -> w.done.complete(null)); // a learner does not wait for a read no one needs
      sooner.signal();
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      Map<String, Waiting> batch = next();
      if (batch == null) return;
      try {
        reader.read(List.copyOf(batch.keySet()));
      } catch (IOException | RuntimeException e) {
        failed.accept(e);
      } finally {
        lock.lock();
        try {
          reading = Map.of();
        } finally {
          lock.unlock();
        }
        batch.values().forEach(w -> w.done.complete(null));
      }
    }
  }

  /** Waits until a request is due and takes those due, up to {@link #BATCH}; null when none is left and this thread ends. */
  private Map<String, Waiting> next() {
    lock.lock();
    try {
      while (true) {
        if (waiting.isEmpty() || closed) {
          draining = false;
          return null;
        }
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (Waiting w : waiting.values()) earliest = Math.min(earliest, w.dueNanos - now);
        if (earliest > 0) {
          sooner.awaitNanos(earliest);
          continue;
        }
        Map<String, Waiting> batch = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, Waiting>> it = waiting.entrySet().iterator(); it.hasNext() && batch.size() < BATCH; ) {
          Map.Entry<String, Waiting> e = it.next();
          if (e.getValue().dueNanos - now <= 0) {
            batch.put(e.getKey(), e.getValue());
            it.remove();
          }
        }
        reads++;
        reading = batch;
        return batch;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      List<Waiting> left = new ArrayList<>(waiting.values());
      waiting.clear();
      draining = false;
      left.forEach(w -> w.done.complete(null));
      return null;
    } finally {
      lock.unlock();
    }
  }
}

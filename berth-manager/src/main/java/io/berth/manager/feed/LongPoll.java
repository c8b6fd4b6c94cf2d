package io.berth.manager.feed;

import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Long polls over one store prefix whose keys are grouped by their first segment
 * ({@code /berth/assign/{node}/…}, {@code /slb/{group}/…}): a client asks with the revision of what
 * it holds and the answer comes when its group changes, or after {@code wait} with the same content.
 * The whole content each time, so a client's view is always complete (level, not edge), and a
 * client that reconnects to another manager simply asks again.
 */
public final class LongPoll implements AutoCloseable {
  private final StateStore store;
  private final String prefix;
  private final Consumer<WatchEvent> also;
  private final Map<String, Long> changed = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private long startRevision;
  private Watch watch;

  /** {@code also} sees every change under the prefix first (for views kept beside the feed). */
  public LongPoll(StateStore store, String prefix, Consumer<WatchEvent> also) {
    this.store = store;
    this.prefix = prefix;
    this.also = also;
  }

  /** Starts watching; returns what is under the prefix now, read at the revision the watch starts after. */
  public Page start(int limit) {
    Page all = store.range(prefix, limit);
    startRevision = all.revision();
    watch = store.watch(prefix, startRevision + 1, this::onChange);
    return all;
  }

  /** The group a key belongs to, or null when it has none. */
  public static String group(String key, String prefix) {
    String rest = key.substring(prefix.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? null : rest.substring(0, slash);
  }

  private void onChange(WatchEvent e) {
    also.accept(e);
    String group = group(e.kv().key(), prefix);
    if (group == null) return;
    changed.merge(group, e.revision(), Math::max);
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /**
   * {@code read}'s page once the group changed after revision {@code after} (0: at once), or after
   * {@code wait}. {@code read} is called before each check, so a change after a read is seen by the
   * check or ends the wait.
   */
  public Page poll(String group, long after, Duration wait, Supplier<Page> read) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Page page = read.get();
      // A page read before this manager started may have missed changes it never watched: answer
      // at once. One read since then waits for a change the watch has seen.
      boolean fresh = after < startRevision || changed.getOrDefault(group, 0L) > after;
      long left = deadline - System.nanoTime();
      if (fresh || left <= 0) return page;
      synchronized (lock) {
        if (changed.getOrDefault(group, 0L) <= after) lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    if (watch != null) watch.close();
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}

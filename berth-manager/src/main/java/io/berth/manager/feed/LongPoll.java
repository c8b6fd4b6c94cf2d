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
  /** How long a group must go without a change before a changed page is answered (0: at once). */
  private final long quietNanos;
  private final Map<String, Long> changed = new ConcurrentHashMap<>();
  /** When each group last changed ({@link System#nanoTime}). */
  private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private long startRevision;
  private Watch watch;

  /** {@code also} sees every change under the prefix first (for views kept beside the feed). */
  public LongPoll(StateStore store, String prefix, Consumer<WatchEvent> also) {
    this(store, prefix, also, Duration.ZERO);
  }

  /**
   * As above, a change answered once its group has been {@code quiet} without another, for at most {@link #GATHER_AT_MOST}:
   * a burst of writes to one group (a pass claiming 33 instances on one node, one write each) is one answer, not one
   * per round trip of the client.
   */
  public LongPoll(StateStore store, String prefix, Consumer<WatchEvent> also, Duration quiet) {
    this.store = store;
    this.prefix = prefix;
    this.also = also;
    this.quietNanos = quiet.toNanos();
  }

  /** The longest a changed page waits for its group to go quiet. */
  static final Duration GATHER_AT_MOST = Duration.ofMillis(100);

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
    changedAt.put(group, System.nanoTime());
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
      if (fresh && quietNanos > 0 && after >= startRevision) {
        gather(group);
        return read.get(); // with what came meanwhile
      }
      if (fresh || left <= 0) return page;
      synchronized (lock) {
        if (changed.getOrDefault(group, 0L) <= after) lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Waits until the group has gone {@link #quietNanos} without a change, or {@link #GATHER_AT_MOST}. */
  private void gather(String group) throws InterruptedException {
    long latest = System.nanoTime() + GATHER_AT_MOST.toNanos();
    while (true) {
      long now = System.nanoTime();
      long until = Math.min(changedAt.getOrDefault(group, now) + quietNanos, latest);
      if (now - until >= 0) return;
      synchronized (lock) {
        lock.wait(Math.max(1, (until - now) / 1_000_000)); // a change of the group moves its quiet time on
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

package io.berth.manager.leader;

import io.berth.cluster.loop.Gate;
import io.berth.core.Keys;
import io.berth.store.Fence;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which manager leads: the one that created {@link Keys#LEADER} on its lease of {@code ttl}
 * (create-if-absent, the value its name). The key's create revision names the term and fences the
 * singletons' writes ({@link #term()}).
 *
 * <p>Invariants: {@link #isLeader()} is true only while this manager's key exists with the term's
 * create revision and its last successful keep-alive was sent less than {@code ttl - margin} ago,
 * so a manager cut off from the store stops its singletons before its key can expire and another
 * take over. Followers watch the key and campaign the moment it is deleted, and again on every
 * keep-alive tick, so a missed watch event costs one tick. All store work runs on one worker
 * thread; a watchdog that never touches the store deposes a leader whose keep-alives went stale.
 * On a SQLite store there is one manager ({@link #sole}) and it always leads.
 */
public final class Leadership implements Gate, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  /** The bounds of {@code --leader-ttl}. */
  public static final Duration MIN_TTL = Duration.ofSeconds(2);
  public static final Duration MAX_TTL = Duration.ofSeconds(60);
  private static final long WATCHDOG_MILLIS = 100;

  private final StateStore store;
  private final String name;
  private final Duration ttl;
  private final long validNanos;
  private final boolean sole;
  private final AtomicReference<Fence> term = new AtomicReference<>();
  private final List<Runnable> preparing = new CopyOnWriteArrayList<>();
  private final List<Consumer<Fence>> elected = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> deposed = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker;
  private final ScheduledExecutorService watchdog;
  private volatile long lease;
  private volatile long renewedAt;
  private volatile String leaderName;
  private volatile boolean failing;
  private volatile Watch watch;

  private Leadership(StateStore store, String name, Duration ttl, boolean sole) {
    checkTtl(ttl);
    this.store = store;
    this.name = name;
    this.ttl = ttl;
    long margin = Math.max(Duration.ofMillis(500).toNanos(), ttl.toNanos() / 5);
    this.validNanos = ttl.toNanos() - margin;
    this.sole = sole;
    this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("leadership-" + name).factory());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("leadership-watchdog").factory());
  }

  /** Campaigns on a shared store (not started: add listeners, then {@link #start()}). */
  public static Leadership elect(StateStore store, String name, Duration ttl) {
    return new Leadership(store, name, ttl, false);
  }

  /** The one manager of an embedded store: it leads from {@link #start()} until closed. */
  public static Leadership sole(StateStore store, String name) {
    return new Leadership(store, name, MAX_TTL, true);
  }

  /** Refuses a TTL outside {@link #MIN_TTL}..{@link #MAX_TTL} with a sentence naming the flag. */
  public static Duration checkTtl(Duration ttl) {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("--leader-ttl must be from 2s to 60s, got " + ttl.toMillis() + " ms");
    }
    return ttl;
  }

  /** Runs once the key is won, before {@link #isLeader()} turns true (the registry refreshes nodes' leases here). */
  public void beforeLeading(Runnable hook) {
    preparing.add(hook);
  }

  /** Called with the term once this manager leads (loops are signalled here, to pass at once). */
  public void onElected(Consumer<Fence> listener) {
    elected.add(listener);
  }

  /** Called with the reason once this manager no longer leads. */
  public void onDeposed(Consumer<String> listener) {
    deposed.add(listener);
  }

  /** Campaigns now (a lone manager leads when this returns), then keeps the lease alive every ttl/3. */
  public Leadership start() {
    if (sole) {
      store.put(Keys.LEADER, name.getBytes(StandardCharsets.UTF_8));
      take(store.get(Keys.LEADER).orElseThrow());
      return this;
    }
    watch = store.watch(Keys.LEADER, store.revision() + 1, this::onLeaderKey);
    try {
      worker.submit(this::renew).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("leader-campaign-failed name={}: {}", name, e.getCause().toString());
    }
    long every = ttl.toMillis() / 3;
    worker.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    watchdog.scheduleWithFixedDelay(this::checkFresh, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** This manager's name. */
  public String name() {
    return name;
  }

  public Duration ttl() {
    return ttl;
  }

  /** True while this manager leads and its lease is fresh; the singletons' loops gate on it. */
  public boolean isLeader() {
    return term.get() != null && (sole || System.nanoTime() - renewedAt < validNanos);
  }

  @Override
  public boolean open() {
    return isLeader();
  }

  /** The current term's fence while this manager leads. */
  public Optional<Fence> term() {
    return isLeader() ? Optional.ofNullable(term.get()) : Optional.empty();
  }

  /** The leading manager's name, as last seen in the store. */
  public Optional<String> leader() {
    return sole ? Optional.of(name) : Optional.ofNullable(leaderName);
  }

  private void onLeaderKey(WatchEvent e) {
    if (e.type() == WatchEvent.Type.DELETE) {
      leaderName = null;
      Fence t = term.get();
      if (t != null && !sole) depose(t, "leader key deleted");
      try {
        worker.execute(this::renew); // campaign at once: the old leader is gone
      } catch (RejectedExecutionException stopped) {
        // closing: nobody campaigns any more
      }
    } else {
      leaderName = e.kv().text();
    }
  }

  /** One tick on the worker: keep the lease alive, check our term, or campaign when nobody leads. */
  private void renew() {
    long sent = System.nanoTime();
    try {
      if (lease != 0 && store.keepAlive(lease)) {
        renewedAt = sent;
      } else {
        Fence t = term.get();
        if (t != null) depose(t, "lease expired");
        lease = store.grantLease(ttl);
        renewedAt = sent;
      }
      Optional<KeyValue> key = store.get(Keys.LEADER);
      leaderName = key.map(KeyValue::text).orElse(null);
      Fence t = term.get();
      if (t != null && key.map(KeyValue::createRevision).orElse(0L) != t.createRevision()) depose(t, "leader key gone");
      if (term.get() == null) {
        // Our own key still on our lease (deposed by a slow store, not replaced): the term never ended.
        if (key.isPresent() && key.get().lease() == lease) take(key.get());
        else if (key.isEmpty() && store.create(Keys.LEADER, name.getBytes(StandardCharsets.UTF_8), lease)) {
          store.get(Keys.LEADER).filter(kv -> kv.lease() == lease).ifPresent(this::take);
        }
      }
      if (failing) log.info("leader-store-recovered name={}", name);
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) log.warn("leader-keepalive-failed name={}: {}", name, e.getMessage());
      failing = true;
      Fence t = term.get();
      if (t != null) depose(t, "keep-alive failed: " + e.getMessage());
    }
  }

  /** Takes the term the key names: hooks first, then the gate opens, then listeners. */
  private void take(KeyValue key) {
    Fence fence = new Fence(Keys.LEADER, key.createRevision());
    for (Runnable hook : preparing) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("leader-prepare-failed name={}: {}", name, e.toString());
      }
    }
    leaderName = name;
    term.set(fence);
    log.info("leader-elected name={} term={}", name, fence.createRevision());
    for (Consumer<Fence> l : elected) l.accept(fence);
  }

  private void checkFresh() {
    Fence t = term.get();
    if (t != null && !isLeader()) {
      depose(t, "no keep-alive for " + (System.nanoTime() - renewedAt) / 1_000_000 + " ms (store unreachable?)");
    }
  }

  private void depose(Fence t, String reason) {
    if (!term.compareAndSet(t, null)) return; // someone else said it already
    log.info("leader-deposed name={} reason={}", name, reason);
    for (Consumer<String> l : deposed) l.accept(reason);
  }

  /**
   * Stops keeping the lease alive without revoking it, as a killed process would: the key lives
   * until the lease expires, and this manager deposes itself once its keep-alives are stale.
   */
  void stopKeepAlives() {
    worker.shutdownNow();
    if (watch != null) watch.close();
  }

  /** Steps down and revokes the lease, so another manager leads at once. */
  @Override
  public void close() {
    stopKeepAlives();
    watchdog.shutdownNow();
    Fence t = term.get();
    if (t != null) depose(t, "manager stopping");
    if (!sole && lease != 0) {
      try {
        store.revoke(lease);
      } catch (RuntimeException e) {
        log.debug("leader-revoke-failed name={}: {}", name, e.toString());
      }
    }
  }
}

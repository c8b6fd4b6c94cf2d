package io.berth.manager.console;

import io.berth.core.identity.Action;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.manager.http.Routes;
import io.berth.manager.identity.Access;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/stream}: server-sent {@code change} events for the console, made from store
 * watches (so every manager sharing a store streams every change), each sent only to callers who
 * may see what changed ({@link #sees}). A {@code : ping} comment every {@link #PING} keeps proxies
 * from closing an idle stream and tells a gone client apart (the write fails and the stream ends).
 * A client {@value #BACKLOG} events behind is dropped: it reconnects and reads the pages again.
 */
final class ChangeStream implements AutoCloseable {
  static final Duration PING = Duration.ofSeconds(15);
  static final int BACKLOG = 1_000;
  private static final byte[] PING_FRAME = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
  /** Put in a client's queue to end its stream (the manager is stopping). */
  private static final Change END = new Change(Change.Kind.NODE, "", "", Instant.EPOCH);
  private final StateStore store;
  private final Access access;
  private final Clock clock;
  private final Duration ping;
  private final Set<BlockingQueue<Change>> clients = ConcurrentHashMap.newKeySet();
  private final List<Watch> watches = new ArrayList<>();
  private volatile boolean open = true;

  ChangeStream(StateStore store, Access access, Clock clock, Duration ping) {
    this.store = store;
    this.access = access;
    this.clock = clock;
    this.ping = ping;
  }

  void start() {
    long rev = store.revision();
    for (String prefix : Change.PREFIXES) {
      watches.add(store.watch(prefix, rev + 1, e -> {
        for (Change c : Change.of(prefix, e, clock.instant())) publish(c);
      }));
    }
  }

  void publish(Change c) {
    for (BlockingQueue<Change> q : clients) {
      if (!q.offer(c)) clients.remove(q);
    }
  }

  /**
   * Who hears of a change: nodes every signed-in user (they may read the node list); an app's
   * record and activity whoever may view the app (its row in {@code GET /v1/apps} is what changed);
   * its instances whoever may read it; an image repository whoever may pull from it; the cluster's
   * activity and audit log administrators only — as the routes that show each answer.
   */
  boolean sees(Principal p, Change c) {
    return switch (c.kind()) {
      case NODE -> true;
      case APP -> access.allows(p, ResourceKind.APP, c.name(), Action.VIEW);
      case INSTANCE -> p.admin() || (!c.app().isEmpty() && access.allows(p, ResourceKind.APP, c.app(), Action.READ));
      case IMAGE -> access.allows(p, ResourceKind.REPO, c.name(), Action.PULL);
      case ACTIVITY -> p.admin();
    };
  }

  Routes.Stream stream(Principal caller) {
    return new Routes.Stream("text/event-stream; charset=utf-8", out -> serve(caller, out));
  }

  private void serve(Principal caller, OutputStream out) throws IOException {
    BlockingQueue<Change> q = new ArrayBlockingQueue<>(BACKLOG);
    clients.add(q);
    try {
      out.write(PING_FRAME); // sends the head at once: the client knows the stream is open before any change
      out.flush();
      long nextPing = System.nanoTime() + ping.toNanos();
      while (open && clients.contains(q)) {
        Change c = q.poll(Math.max(1, nextPing - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (c == END) break;
        if (c == null) {
          out.write(PING_FRAME);
          nextPing = System.nanoTime() + ping.toNanos();
        } else if (sees(caller, c)) {
          out.write(c.frame().getBytes(StandardCharsets.UTF_8));
        } else {
          continue;
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      clients.remove(q);
    }
  }

  /** How many streams are open (tests). */
  int clients() {
    return clients.size();
  }

  @Override
  public void close() {
    open = false;
    for (Watch w : watches) w.close();
    for (BlockingQueue<Change> q : clients) q.offer(END);
  }
}

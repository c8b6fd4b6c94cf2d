package io.berth.store;

import static io.etcd.jetcd.Watch.listener;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch.Watcher;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd watch that outlives its stream. jetcd reports every stream error and resumes by
 * itself only after some of them (not after "Network closed for unknown reason", not after "no
 * leader"), so after any error but compaction this closes jetcd's watcher and subscribes again
 * from the first revision not yet delivered, backing off from 250 ms to 5 s. Events below that
 * revision are dropped, so a revision is never delivered twice nor skipped.
 */
final class EtcdSubscription {
  private static final Logger log = LoggerFactory.getLogger(EtcdSubscription.class);
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Client client;
  private final ByteSequence key;
  private final WatchDelivery delivery;
  private final String endpoints;
  private long next; // guarded by this: the first revision not yet delivered
  private int failures; // guarded by this: in a row, for the back-off
  private Watcher watcher; // guarded by this
  private long generation; // guarded by this: the stream whose failure is still to be handled

  EtcdSubscription(Client client, ByteSequence key, long start, WatchDelivery delivery, String endpoints) {
    this.client = client;
    this.key = key;
    this.next = start;
    this.delivery = delivery;
    this.endpoints = endpoints;
  }

  /** Opens a stream from the first revision not yet delivered. */
  void subscribe() {
    long from;
    long stream;
    synchronized (this) {
      from = next;
      stream = ++generation;
    }
    // jetcd calls back under its own lock, so its watcher is opened and closed outside ours.
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(from).withPrevKV(true)
        .withProgressNotify(true).build();
    Watcher opened = client.getWatchClient().watch(key, option,
        listener(this::received, error -> failed(stream, error)));
    synchronized (this) {
      watcher = opened;
    }
    if (delivery.isClosed()) {
      opened.close();
    }
  }

  void close() {
    delivery.close();
    Watcher w;
    synchronized (this) {
      w = watcher;
    }
    if (w != null) {
      w.close();
    }
  }

  private synchronized void received(WatchResponse response) {
    failures = 0;
    if (response.isProgressNotify()) {
      // Every event up to the header's revision has come: a quiet prefix moves on too, so that
      // subscribing again after a compaction does not start from a revision etcd no longer has.
      next = Math.max(next, response.getHeader().getRevision() + 1);
      return;
    }
    long from = next; // the events of one transaction share a revision and arrive in one response
    for (var e : response.getEvents()) { // jetcd's WatchEvent and KeyValue, not ours
      long revision = e.getKeyValue().getModRevision();
      if (revision < from) {
        continue; // delivered before the stream was lost
      }
      var prev = e.getPrevKV();
      KeyValue previous = prev == null || prev.getCreateRevision() == 0 ? null : EtcdStateStore.keyValue(prev);
      if (e.getEventType() == EventType.DELETE) {
        String k = e.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
        delivery.offer(new WatchEvent(WatchEvent.Type.DELETE, SqliteRows.deleted(k, revision), previous));
      } else if (e.getEventType() == EventType.PUT) {
        delivery.offer(new WatchEvent(WatchEvent.Type.PUT, EtcdStateStore.keyValue(e.getKeyValue()), previous));
      }
      next = Math.max(next, revision + 1);
    }
  }

  /** Only the current stream's first failure counts: jetcd may report one stream's loss more than once. */
  private void failed(long stream, Throwable error) {
    if (delivery.isClosed()) {
      return;
    }
    long delay;
    long from;
    synchronized (this) {
      if (stream != generation) {
        return;
      }
      generation++;
      delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(failures, 5));
      failures++;
      from = next;
    }
    if (EtcdCalls.isCompacted(error)) {
      log.warn("watch-compacted prefix={} endpoints={}: history was compacted before the watch caught up; it stopped",
          delivery.prefix(), endpoints);
      Thread.ofVirtual().start(this::close); // closing joins the delivery thread: not on jetcd's event loop
      return;
    }
    log.warn("watch-interrupted prefix={} endpoints={}: {}; resubscribing from revision {} in {} ms",
        delivery.prefix(), endpoints, EtcdCalls.message(error), from, delay);
    Thread.ofVirtual().start(() -> resubscribe(delay));
  }

  private void resubscribe(long delayMs) {
    Watcher old;
    synchronized (this) {
      old = watcher;
    }
    if (old != null) {
      old.close();
    }
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      return;
    }
    if (!delivery.isClosed()) {
      subscribe();
    }
  }
}

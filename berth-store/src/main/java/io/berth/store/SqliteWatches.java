package io.berth.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SQLite store's open watches. The store publishes each write's changes here while it still
 * holds its write lock, so every watch sees changes in revision order and none twice; a watch's
 * queue ({@link WatchDelivery}) hands them to its consumer on a thread of its own.
 */
final class SqliteWatches {
  private final List<WatchDelivery> open = new CopyOnWriteArrayList<>();

  /** Registers a watch; the store calls it under its write lock, at the revision its replay ends. */
  void add(WatchDelivery delivery) {
    open.add(delivery);
  }

  void remove(WatchDelivery delivery) {
    open.remove(delivery);
  }

  /** Offers one write's changes, in order, to every watch whose prefix they fall under. */
  void publish(List<WatchEvent> events) {
    for (WatchEvent event : events) {
      for (WatchDelivery w : open) {
        if (w.matches(event.kv().key())) w.offer(event);
      }
    }
  }

  /** Ends every watch: the store is closing. */
  void closeAll() {
    for (WatchDelivery w : open) w.close();
    open.clear();
  }
}

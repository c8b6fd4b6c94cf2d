package io.berth.manager.notify;

import io.berth.cluster.Json;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@value #KEEP} notifications at {@code /berth/alerts/notifications/{millis}-{manager}-{seq}}: written by the
 * leader's passes (fenced), trimmed after each pass, read by any manager for {@code GET /v1/alerts/notifications}.
 */
final class NotificationLog {
  static final String PREFIX = "/berth/alerts/notifications/";
  static final int KEEP = 1_000;
  private final StateStore store;
  private final String writer;
  private final AtomicLong seq = new AtomicLong();

  /**
   * One try of one notice with one receiver, or its end.
   *
   * @param outcome {@code delivered}, {@code retrying}, {@code rejected}, {@code gave-up}, {@code unknown} or {@code no-receiver}
   */
  record Notification(Instant at, String app, String noticeId, String status, String receiver, String outcome, int attempts,
                      boolean repeat, String error) {}

  NotificationLog(StateStore store, String writer) {
    this.store = store;
    this.writer = writer;
  }

  void add(Notification n) {
    store.put(PREFIX + String.format("%013d-%s-%06d", n.at().toEpochMilli(), writer, seq.incrementAndGet() % 1_000_000), Json.bytes(n));
  }

  /** Deletes all but the newest {@value #KEEP}. */
  void trim() {
    List<KeyValue> all = store.range(PREFIX, 0).items();
    for (int i = 0; i < all.size() - KEEP; i++) store.delete(all.get(i).key());
  }

  /** Newest first, of {@code app} (null: every app), at most {@code limit}. */
  List<Notification> read(String app, int limit) {
    List<KeyValue> all = store.range(PREFIX, 0).items();
    List<Notification> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      Notification n = Json.read(all.get(i).value(), Notification.class);
      if (app == null || app.equals(n.app())) out.add(n);
    }
    return out;
  }
}

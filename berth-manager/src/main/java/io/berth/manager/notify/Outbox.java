package io.berth.manager.notify;

import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The notices still to send, in the store at {@code /berth/alerts/outbox/{id}}: written through the leader's fenced
 * store, so a deposed leader's write fails, and read again by every pass, so a new leader carries on where the last stopped.
 */
final class Outbox {
  static final String PREFIX = "/berth/alerts/outbox/";
  private final StateStore store;

  /** One entry as read, with the revision a change must be based on. */
  record Stored(OutboxEntry entry, long modRevision) {}

  Outbox(StateStore store) {
    this.store = store;
  }

  static String key(String noticeId) {
    return PREFIX + Keys.segment(noticeId);
  }

  /** Adds a notice's entry; false when an entry with its id is there already (the notice was handed in before). */
  boolean add(OutboxEntry entry) {
    return store.create(key(entry.notice().id()), Json.bytes(entry), 0);
  }

  List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    for (KeyValue kv : store.range(PREFIX, 0).items()) out.add(new Stored(Json.read(kv.value(), OutboxEntry.class), kv.modRevision()));
    return out;
  }

  /** Replaces {@code s} with {@code changed}; the new revision, or -1 when someone changed it meanwhile. */
  long replace(Stored s, OutboxEntry changed) {
    return store.compareAndPut(key(s.entry().notice().id()), Json.bytes(changed), s.modRevision(), 0).orElse(-1L);
  }

  void remove(Stored s) {
    store.compareAndDelete(key(s.entry().notice().id()), s.modRevision());
  }
}

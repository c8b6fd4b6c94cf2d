package io.berth.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The SQLite store's key writes, each one write transaction that first checks the fence (when
 * there is one), so a fenced write and its check commit together or not at all.
 */
final class SqliteKeyWrites implements FencedStateStore.Writes {
  private final SqliteStateStore store;
  private final SqliteWriter writer;

  SqliteKeyWrites(SqliteStateStore store, SqliteWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  @Override
  public long put(String key, byte[] value, long lease, Fence fence) {
    return store.write("write " + key, fence, events -> {
      WatchEvent event = writer.put(key, value, lease, writer.current(key), System.currentTimeMillis());
      events.add(event);
      return event.revision();
    });
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease, Fence fence) {
    return store.write("write " + key, fence, events -> {
      KeyValue current = writer.current(key);
      if ((current == null ? 0 : current.modRevision()) != expectedModRevision) {
        return Optional.<Long>empty();
      }
      WatchEvent event = writer.put(key, value, lease, current, System.currentTimeMillis());
      events.add(event);
      return Optional.of(event.revision());
    });
  }

  /** Every entry in one transaction, each checked against the writes of those before it. */
  @Override
  public List<Optional<Long>> compareAndPutEach(List<StateStore.ConditionalPuts> entries, Fence fence) {
    return store.write("write " + entries.size() + " conditional entries", fence, events -> {
      long now = System.currentTimeMillis();
      List<Optional<Long>> out = new ArrayList<>(entries.size());
      for (StateStore.ConditionalPuts e : entries) {
        KeyValue current = writer.current(e.key());
        if ((current == null ? 0 : current.modRevision()) != e.expectedModRevision()) {
          out.add(Optional.empty());
          continue;
        }
        WatchEvent event = writer.put(e.key(), e.puts().get(e.key()), StateStore.Lease.NONE, current, now);
        events.add(event);
        for (Map.Entry<String, byte[]> put : e.puts().entrySet()) {
          if (put.getKey().equals(e.key())) continue;
          event = writer.put(put.getKey(), put.getValue(), StateStore.Lease.NONE, writer.current(put.getKey()), now);
          events.add(event);
        }
        out.add(Optional.of(event.revision()));
      }
      return out;
    });
  }

  /** Every key in one transaction: a restore lands whole or not at all. */
  long putAll(Map<String, byte[]> values) {
    return store.write("write " + values.size() + " keys", null, events -> {
      long now = System.currentTimeMillis();
      long revision = writer.meta("revision");
      for (Map.Entry<String, byte[]> e : values.entrySet()) {
        WatchEvent event = writer.put(e.getKey(), e.getValue(), StateStore.Lease.NONE, writer.current(e.getKey()), now);
        events.add(event);
        revision = event.revision();
      }
      return revision;
    });
  }

  @Override
  public boolean delete(String key, Fence fence) {
    return deleteIf(key, fence, current -> true);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision, Fence fence) {
    return deleteIf(key, fence, current -> current.modRevision() == expectedModRevision);
  }

  private boolean deleteIf(String key, Fence fence, Predicate<KeyValue> condition) {
    return store.write("delete " + key, fence, events -> {
      KeyValue current = writer.current(key);
      if (current == null || !condition.test(current)) {
        return false;
      }
      events.add(writer.delete(current, System.currentTimeMillis()));
      return true;
    });
  }
}

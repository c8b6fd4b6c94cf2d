package io.berth.manager.lrp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import io.berth.core.Keys;
import io.berth.manager.http.Routes;
import io.berth.store.KeyValue;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/events}: the Receptor's server-sent events for DesiredLRPs, ActualLRPs and tasks
 * ({@code desired_lrp_created|changed|removed}, {@code actual_lrp_…}, {@code task_…}), made from
 * store watches, so every manager sharing a store streams every change. A client that falls
 * {@value #BACKLOG} events behind is dropped (it reconnects and reads the state again).
 */
final class LrpEvents implements AutoCloseable {
  static final int BACKLOG = 10_000;
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private final LrpStore store;
  private final Map<String, JsonNode> last = new ConcurrentHashMap<>();
  private final Set<BlockingQueue<byte[]>> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private final List<Watch> watches = new ArrayList<>();

  LrpEvents(LrpStore store) {
    this.store = store;
  }

  void start() {
    long rev = store.raw().revision();
    for (String prefix : List.of(Keys.DESIRED, Keys.ACTUAL, Keys.TASKS)) {
      for (KeyValue kv : store.raw().range(prefix, LrpStore.MAX).items()) last.put(kv.key(), tree(kv.value()));
      watches.add(store.raw().watch(prefix, rev + 1, e -> onChange(prefix, e)));
    }
  }

  private void onChange(String prefix, WatchEvent e) {
    String kind = prefix.equals(Keys.DESIRED) ? "desired_lrp" : prefix.equals(Keys.ACTUAL) ? "actual_lrp" : "task";
    String key = e.kv().key();
    ObjectNode data = Json.MAPPER.createObjectNode();
    String type;
    if (e.type() == WatchEvent.Type.DELETE) {
      JsonNode before = last.remove(key);
      if (before == null && e.previous() != null && e.previous().value().length > 0) before = tree(e.previous().value());
      if (before == null) return;
      type = kind + "_removed";
      data.set(kind, before);
    } else {
      JsonNode after = tree(e.kv().value());
      JsonNode before = last.put(key, after);
      if (before == null) {
        type = kind + "_created";
        data.set(kind, after);
      } else {
        type = kind + "_changed";
        data.set(kind + "_before", before);
        data.set(kind + "_after", after);
      }
    }
    byte[] frame = ("id: " + ids.getAndIncrement() + "\nevent: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    for (BlockingQueue<byte[]> q : clients) {
      if (!q.offer(frame)) clients.remove(q);
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  Routes.Stream stream() {
    return new Routes.Stream("text/event-stream", this::serve);
  }

  private void serve(OutputStream out) throws IOException {
    BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(BACKLOG);
    clients.add(q);
    try {
      out.write(KEEP_ALIVE);
      out.flush();
      while (clients.contains(q)) {
        byte[] frame = q.poll(15, TimeUnit.SECONDS);
        out.write(frame == null ? KEEP_ALIVE : frame);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      clients.remove(q);
    }
  }

  @Override
  public void close() {
    for (Watch w : watches) w.close();
    clients.clear();
  }
}

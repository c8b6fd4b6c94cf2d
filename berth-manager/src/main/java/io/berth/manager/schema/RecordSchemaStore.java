package io.berth.manager.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cluster.Json;
import io.berth.store.Fence;
import io.berth.store.ForwardingStateStore;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import io.berth.store.Watch;
import io.berth.store.WatchEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's view of its store in which every record carries its store schema: each JSON
 * object written gets {@code "schema": N} (this build's {@link Migrations#CURRENT}) as its last
 * field, and each one read comes back without it, in this build's shape. A record of an older
 * schema — stamped so, or not stamped at all (schema 1: written before the stamps, or by an older
 * manager during a rolling upgrade) — is migrated on the way in, so the next write of it is in the
 * new form. The manager's code above sees the bytes it wrote; only the store holds the stamps.
 * Values that are not JSON objects, and {@link StoreSchema#KEY} itself, pass untouched.
 */
public final class RecordSchemaStore extends ForwardingStateStore {
  private static final Logger log = LoggerFactory.getLogger(RecordSchemaStore.class);
  /** A stamp of any schema at the end of a record. */
  private static final Pattern ANY_STAMP = Pattern.compile("[,{]\"schema\":-?\\d+}$");
  private final int current;
  private final List<Migration> migrations;
  private final byte[] stamp; // ,"schema":N}
  private final Set<Integer> newerSeen = ConcurrentHashMap.newKeySet();

  public RecordSchemaStore(StateStore store) {
    this(store, Migrations.CURRENT, Migrations.ALL);
  }

  RecordSchemaStore(StateStore store, int current, List<Migration> migrations) {
    super(store);
    this.current = current;
    this.migrations = migrations;
    this.stamp = (",\"schema\":" + current + "}").getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isObject(String key, byte[] v) {
    return v != null && v.length >= 2 && v[0] == '{' && v[v.length - 1] == '}' && !key.equals(StoreSchema.KEY);
  }

  /** The value as stored: this build's stamp as its last field. */
  byte[] stamped(String key, byte[] v) {
    if (!isObject(key, v)) return v;
    boolean empty = v.length == 2;
    byte[] out = Arrays.copyOf(v, v.length - 1 + stamp.length - (empty ? 1 : 0));
    System.arraycopy(stamp, empty ? 1 : 0, out, v.length - 1, stamp.length - (empty ? 1 : 0));
    return out;
  }

  /** The value as the manager wrote it, in this build's shape. */
  byte[] read(String key, byte[] v) {
    if (!isObject(key, v)) return v;
    if (v.length == stamp.length && endsWithStamp(v)) return new byte[] {'{', '}'}; // {"schema":N}: an empty record
    if (v.length > stamp.length && v[v.length - stamp.length] == ',' && endsWithStamp(v)) {
      byte[] out = Arrays.copyOf(v, v.length - stamp.length + 1);
      out[out.length - 1] = '}';
      return out;
    }
    // Unstamped (schema 1) with no change of shape for its kind since: as it is, without a parse on every read.
    if (!ANY_STAMP.matcher(tail(v)).find() && !reshaped(key)) return v;
    ObjectNode tree;
    try {
      JsonNode n = Json.MAPPER.readTree(v);
      if (!(n instanceof ObjectNode o)) return v;
      tree = o;
    } catch (IOException e) {
      return v; // not JSON after all: the reader above says what is wrong with it
    }
    JsonNode mark = tree.remove("schema");
    int from = mark != null && mark.canConvertToInt() ? mark.asInt() : 1;
    if (from > current && newerSeen.add(from)) {
      log.warn("store-record-newer key={} schema={} known={} (a newer manager wrote it; read as it is)", key, from, current);
    }
    if (from < current) tree = Migrations.upgrade(migrations, key, from, current, tree);
    return Json.bytes(tree);
  }

  /** The last bytes of {@code v}, where a stamp would be, as text. */
  private static String tail(byte[] v) {
    int from = Math.max(0, v.length - 24);
    return new String(v, from, v.length - from, StandardCharsets.ISO_8859_1);
  }

  /** Whether a migration changes the shape of {@code key}'s kind after schema 1. */
  private boolean reshaped(String key) {
    for (Migration m : migrations) if (m.from() < current && key.startsWith(m.prefix())) return true;
    return false;
  }

  /** Whether {@code v} ends in this build's stamp, its first byte aside (a ',' after fields, a '{' alone). */
  private boolean endsWithStamp(byte[] v) {
    int off = v.length - stamp.length;
    for (int i = 1; i < stamp.length; i++) if (v[off + i] != stamp[i]) return false;
    return true;
  }

  private KeyValue read(KeyValue kv) {
    byte[] v = read(kv.key(), kv.value());
    return v == kv.value() ? kv : new KeyValue(kv.key(), v, kv.createRevision(), kv.modRevision(), kv.lease());
  }

  private Page read(Page p) {
    List<KeyValue> items = new ArrayList<>(p.items().size());
    for (KeyValue kv : p.items()) items.add(read(kv));
    return new Page(items, p.revision(), p.more());
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return store.get(key).map(this::read);
  }

  @Override
  public Page range(String prefix, int limit) {
    return read(store.range(prefix, limit));
  }

  @Override
  public Page snapshot(String prefix) {
    return read(store.snapshot(prefix));
  }

  @Override
  public long put(String key, byte[] value, long lease) {
    return store.put(key, stamped(key, value), lease);
  }

  @Override
  public Optional<Long> compareAndPut(String key, byte[] value, long expectedModRevision, long lease) {
    return store.compareAndPut(key, stamped(key, value), expectedModRevision, lease);
  }

  @Override
  public boolean create(String key, byte[] value, long lease) {
    return store.create(key, stamped(key, value), lease);
  }

  @Override
  public long putAll(Map<String, byte[]> values, IntConsumer written) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, stamped(k, v)));
    return store.putAll(out, written);
  }

  @Override
  public List<Optional<Long>> compareAndPutEach(List<ConditionalPuts> entries) {
    List<ConditionalPuts> out = new ArrayList<>(entries.size());
    for (ConditionalPuts e : entries) {
      Map<String, byte[]> puts = new LinkedHashMap<>();
      e.puts().forEach((k, v) -> puts.put(k, stamped(k, v)));
      out.add(new ConditionalPuts(e.key(), e.expectedModRevision(), puts));
    }
    return store.compareAndPutEach(out);
  }

  @Override
  public boolean delete(String key) {
    return store.delete(key);
  }

  @Override
  public boolean compareAndDelete(String key, long expectedModRevision) {
    return store.compareAndDelete(key, expectedModRevision);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, Consumer<WatchEvent> consumer) {
    return store.watch(prefix, fromRevision,
        e -> consumer.accept(new WatchEvent(e.type(), read(e.kv()), e.previous() == null ? null : read(e.previous()))));
  }

  /** The store beneath's fenced view, stamped and read the same way. */
  @Override
  public StateStore fenced(Fence fence) {
    return new RecordSchemaStore(store.fenced(fence), current, migrations);
  }

}

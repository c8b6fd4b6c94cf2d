package io.berth.manager.app;

import io.berth.cluster.Json;
import io.berth.cluster.wire.RouteTable;
import io.berth.cluster.wire.RouterStatus;
import io.berth.core.Keys;
import io.berth.core.app.App;
import io.berth.core.app.AppEvent;
import io.berth.core.app.AppVersion;
import io.berth.manager.lrp.Versioned;
import io.berth.store.KeyValue;
import io.berth.store.Page;
import io.berth.store.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Apps, their versions and activity, router statuses and the published routes, in the store. */
final class AppStore {
  static final int MAX = 100_000;
  /** Each app keeps this many activity entries. */
  static final int EVENTS_KEPT = 200;
  static final Duration ROUTER_TTL = Duration.ofSeconds(10);
  private final StateStore store;
  private final AtomicLong seq = new AtomicLong();
  private final Map<String, Long> routerLeases = new ConcurrentHashMap<>();

  AppStore(StateStore store) {
    this.store = store;
  }

  StateStore raw() {
    return store;
  }

  // Apps

  List<Versioned<App>> apps() {
    List<Versioned<App>> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.APPS, MAX).items()) {
      if (Keys.tail(kv.key(), Keys.APPS).contains("/")) continue; // a version
      out.add(new Versioned<>(Json.read(kv.value(), App.class), kv.modRevision()));
    }
    return out;
  }

  Optional<Versioned<App>> app(String name) {
    return store.get(Keys.app(name)).map(kv -> new Versioned<>(Json.read(kv.value(), App.class), kv.modRevision()));
  }

  /** Writes {@code app} if its record is still at {@code revision} (0: absent); false when someone else changed it. */
  boolean replace(App app, long revision) {
    return store.compareAndPut(Keys.app(app.name()), Json.bytes(app), revision, StateStore.Lease.NONE).isPresent();
  }

  boolean createVersion(AppVersion v) {
    return store.compareAndPut(Keys.appVersion(v.app(), v.version()), Json.bytes(v), 0, StateStore.Lease.NONE).isPresent();
  }

  Optional<AppVersion> version(String app, int version) {
    return store.get(Keys.appVersion(app, version)).map(kv -> Json.read(kv.value(), AppVersion.class));
  }

  /** Every version of the app, oldest first. */
  List<AppVersion> versions(String app) {
    List<AppVersion> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.APPS + app + "/versions/", MAX).items()) out.add(Json.read(kv.value(), AppVersion.class));
    out.sort(Comparator.comparingInt(AppVersion::version));
    return out;
  }

  /** Removes the app's record, versions and activity. */
  void removeAll(String app, long revision) {
    if (!store.compareAndDelete(Keys.app(app), revision)) return;
    for (KeyValue kv : store.range(Keys.APPS + app + "/", MAX).items()) store.delete(kv.key());
    for (KeyValue kv : store.range(Keys.APP_EVENTS + app + "/", MAX).items()) store.delete(kv.key());
  }

  // Activity

  void record(AppEvent e) {
    String key = Keys.APP_EVENTS + e.app() + "/" + String.format("%016d-%06d", e.time().toEpochMilli(), seq.incrementAndGet() % 1_000_000);
    store.put(key, Json.bytes(e));
    if (seq.get() % 20 == 0) {
      List<KeyValue> all = store.range(Keys.APP_EVENTS + e.app() + "/", MAX).items();
      for (int i = 0; i < all.size() - EVENTS_KEPT; i++) store.delete(all.get(i).key());
    }
  }

  /** The app's newest {@code limit} events, oldest first. */
  List<AppEvent> events(String app, int limit) {
    List<KeyValue> all = store.range(Keys.APP_EVENTS + app + "/", MAX).items();
    List<AppEvent> out = new ArrayList<>();
    for (KeyValue kv : all.subList(Math.max(0, all.size() - limit), all.size())) out.add(Json.read(kv.value(), AppEvent.class));
    return out;
  }

  // Routers

  /** Keeps a router's status on a lease of {@link #ROUTER_TTL}, renewed by each report. */
  void routerReport(RouterStatus s) {
    String key = Keys.router(s.group(), s.id());
    Long lease = routerLeases.get(key);
    if (lease == null || !store.keepAlive(lease)) {
      lease = store.grantLease(ROUTER_TTL);
      routerLeases.put(key, lease);
    }
    store.put(key, Json.bytes(s), lease);
  }

  List<RouterStatus> routers() {
    List<RouterStatus> out = new ArrayList<>();
    for (KeyValue kv : store.range(Keys.ROUTERS, MAX).items()) out.add(Json.read(kv.value(), RouterStatus.class));
    return out;
  }

  // Published routes

  /** Every published domain: key → value. */
  Map<String, byte[]> published() {
    Map<String, byte[]> out = new HashMap<>();
    for (KeyValue kv : store.range(Keys.SLB, MAX).items()) out.put(kv.key(), kv.value());
    return out;
  }

  void publish(String key, byte[] value) {
    store.put(key, value);
  }

  void unpublish(String key) {
    store.delete(key);
  }

  /** The group's route table, read now. */
  Page table(String group) {
    return store.range(Keys.SLB + group + "/domains/", MAX);
  }

  static RouteTable decode(String group, Page page) {
    List<RouteTable.Domain> domains = new ArrayList<>();
    for (KeyValue kv : page.items()) domains.add(Json.read(kv.value(), RouteTable.Domain.class));
    return new RouteTable(group, page.revision(), domains);
  }
}

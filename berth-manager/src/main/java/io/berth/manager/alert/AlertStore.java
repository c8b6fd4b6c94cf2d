package io.berth.manager.alert;

import io.berth.cluster.Json;
import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertState;
import io.berth.core.alert.AlertTransition;
import io.berth.core.error.BerthException;
import io.berth.store.KeyValue;
import io.berth.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Alerts in the store: the rules {@code berth alert add} wrote ({@code /berth/alerts/rules/{app}/{rule}}),
 * mutes ({@code …/mutes/…}), each rule's state ({@code …/state/…}, so a new leader continues a
 * {@code for}) and the cluster's transitions ({@code …/history/{millis}-{seq}}, the newest {@value #HISTORY_KEPT}).
 * Rules from manifests are not here: they live in the app's versions.
 */
final class AlertStore {
  static final String PREFIX = "/berth/alerts/";
  static final String RULES = PREFIX + "rules/";
  static final String MUTES = PREFIX + "mutes/";
  static final String STATES = PREFIX + "state/";
  static final String HISTORY = PREFIX + "history/";
  static final int HISTORY_KEPT = 1000;
  private final StateStore store;
  private final AtomicLong seq = new AtomicLong();

  AlertStore(StateStore store) {
    this.store = store;
  }

  /** A rule's state as stored: the value is null rather than NaN when there was no data. */
  record StoredState(AlertState.Phase phase, Instant activeSince, Instant changedAt, Double value) {
    AlertState state() {
      return new AlertState(phase, activeSince, changedAt, value == null ? Double.NaN : value);
    }

    static StoredState of(AlertState s) {
      return new StoredState(s.phase(), s.activeSince(), s.changedAt(), Double.isNaN(s.value()) ? null : s.value());
    }
  }

  /** Notifications of a rule are held back until {@code until}. */
  record Mute(Instant until, String by) {}

  static String key(String prefix, String app, String rule) {
    return prefix + app + "/" + rule;
  }

  List<AlertRule> rules(Optional<String> app) {
    List<AlertRule> out = new ArrayList<>();
    for (KeyValue kv : store.range(RULES + app.map(a -> a + "/").orElse(""), 0).items()) out.add(Json.read(kv.value(), AlertRule.class));
    return out;
  }

  /** Adds a rule; a second of one name is a 409. */
  void add(AlertRule r) {
    if (!store.create(key(RULES, r.app(), r.name()), Json.bytes(r), StateStore.Lease.NONE)) {
      throw new BerthException.Conflict("AlertRuleExists", "app " + r.app() + " already has a rule named " + r.name()
          + ": remove it first (berth alert rm " + r.id() + ")");
    }
  }

  /** Removes a rule with its mute and state; false when there was none. */
  boolean remove(String app, String rule) {
    boolean was = store.delete(key(RULES, app, rule));
    store.delete(key(MUTES, app, rule));
    return was;
  }

  void mute(String app, String rule, Mute m) {
    store.put(key(MUTES, app, rule), Json.bytes(m));
  }

  boolean unmute(String app, String rule) {
    return store.delete(key(MUTES, app, rule));
  }

  /** Every mute, by {@code APP/RULE}. */
  Map<String, Mute> mutes() {
    return byId(MUTES, Mute.class);
  }

  /** Every stored state, by {@code APP/RULE}. */
  Map<String, AlertState> states() {
    Map<String, AlertState> out = new HashMap<>();
    byId(STATES, StoredState.class).forEach((id, s) -> out.put(id, s.state()));
    return out;
  }

  void state(String app, String rule, AlertState s) {
    store.put(key(STATES, app, rule), Json.bytes(StoredState.of(s)));
  }

  void dropState(String id) {
    store.delete(STATES + id);
  }

  void dropMute(String id) {
    store.delete(MUTES + id);
  }

  void dropRule(String id) {
    store.delete(RULES + id);
  }

  void append(AlertTransition t) {
    store.put(HISTORY + String.format("%016d-%06d", t.at().toEpochMilli(), seq.incrementAndGet() % 1_000_000), Json.bytes(t));
  }

  /** The newest {@code limit} transitions that {@code keep} passes, newest first. */
  List<AlertTransition> history(Predicate<AlertTransition> keep, int limit) {
    List<AlertTransition> out = new ArrayList<>();
    List<KeyValue> all = store.range(HISTORY, 0).items();
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      AlertTransition t = Json.read(all.get(i).value(), AlertTransition.class);
      if (keep.test(t)) out.add(t);
    }
    return out;
  }

  /** Deletes the oldest transitions past {@value #HISTORY_KEPT}; returns how many went. */
  int trim() {
    List<KeyValue> all = store.range(HISTORY, 0).items();
    int extra = all.size() - HISTORY_KEPT;
    for (int i = 0; i < extra; i++) store.delete(all.get(i).key());
    return Math.max(0, extra);
  }

  private <T> Map<String, T> byId(String prefix, Class<T> type) {
    Map<String, T> out = new HashMap<>();
    for (KeyValue kv : store.range(prefix, 0).items()) out.put(kv.key().substring(prefix.length()), Json.read(kv.value(), type));
    return Collections.unmodifiableMap(out);
  }
}

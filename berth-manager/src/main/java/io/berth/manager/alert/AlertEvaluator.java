package io.berth.manager.alert;

import io.berth.manager.metrics.CapacityForecast;
import io.berth.cluster.loop.ReconcileLoop;
import io.berth.core.alert.AlertExpression;
import io.berth.core.alert.AlertNotice;
import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertSink;
import io.berth.core.alert.AlertState;
import io.berth.core.alert.AlertState.Phase;
import io.berth.core.alert.AlertTransition;
import io.berth.core.lrp.ActualLrp;
import io.berth.manager.leader.Singletons;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.TrafficNumbers;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every rule every {@link #PERIOD} ({@code --alert-every}), on the leader only, and tells the sink of each
 * firing and each resolve.
 *
 * <p>Invariants: a rule's phase changes only here, and only through the leader's fenced store, so
 * two managers never step one rule; the state is in the store, so a new leader continues a
 * {@code for} where the last one left it; the sink hears of a transition before its state is
 * written, so a leader that dies between the two leaves the next to tell it again under the same
 * notice id (notifications deliver an id once) rather than not at all; a mute holds notices back,
 * never the evaluation or the history.
 */
final class AlertEvaluator implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
  private final AlertStore leaderStore;
  private final RuleBook rules;
  private final MetricsHistory history;
  private final Supplier<List<ActualLrp>> actuals;
  private final InstantSource clock;
  private final Restarts restarts = new Restarts();
  private final ReconcileLoop loop;
  private volatile TrafficNumbers traffic = TrafficNumbers.NONE;
  private volatile CapacityForecast forecast = CapacityForecast.NONE;
  private volatile AlertSink sink = AlertSink.NONE;
  private volatile Duration every = PERIOD;

  AlertEvaluator(Singletons leader, RuleBook rules, MetricsHistory history, Supplier<List<ActualLrp>> actuals, InstantSource clock) {
    this.leaderStore = new AlertStore(leader.store());
    this.rules = rules;
    this.history = history;
    this.actuals = actuals;
    this.clock = clock;
    this.loop = ReconcileLoop.named("alerts").every(PERIOD).gate(leader.gate())
        .onFailure(e -> log.warn("alert-evaluation-failed: {}", e.toString())).buildPaced(() -> {
          pass();
          return every;
        });
  }

  void wire(TrafficNumbers traffic, CapacityForecast forecast, AlertSink sink) {
    this.traffic = traffic;
    this.forecast = forecast;
    this.sink = sink;
  }

  /** {@code --alert-every}: the time between passes, from the next pass on (which a signal brings now). */
  void every(Duration d) {
    this.every = d;
    loop.signal();
  }

  void start() {
    loop.start();
  }

  void signal() {
    loop.signal();
  }

  /** One evaluation of every rule; returns how many changed phase. */
  synchronized int pass() {
    long nowMillis = clock.millis();
    Instant now = Instant.ofEpochMilli(nowMillis);
    Readings readings = new Readings(history.current(nowMillis), actuals.get(), traffic, forecast, restarts, nowMillis);
    Map<String, AlertState> states = new HashMap<>(leaderStore.states());
    Map<String, AlertStore.Mute> mutes = leaderStore.mutes();
    Map<String, List<AlertRule>> all = rules.all();
    Set<String> live = new HashSet<>();
    int changed = 0;
    for (List<AlertRule> appRules : all.values()) {
      for (AlertRule r : appRules) {
        live.add(r.id());
        AlertExpression x = r.expression();
        double value = readings.value(r.app(), x);
        AlertState before = states.getOrDefault(r.id(), AlertState.NEW);
        AlertState.Step step = before.step(x.holds(value), value, r.forPeriod(), now);
        if (!step.changed()) continue;
        changed++;
        AlertState after = step.next();
        AlertStore.Mute mute = mutes.get(r.id());
        boolean muted = mute != null && mute.until().isAfter(now);
        if (after.phase() == Phase.FIRING || after.phase() == Phase.RESOLVED) {
          if (muted) log.info("alert-muted rule={} phase={} until={}", r.id(), after.phase().word(), mute.until());
          else sink.deliver(notice(r, x, after));
        }
        log.info("alert-{} rule={} value={} expr=\"{}\"", after.phase().word(), r.id(), x.format(value), x);
        leaderStore.append(new AlertTransition(now, r.app(), r.name(), before.phase(), after.phase(), value, r.when(), r.severity(),
            after.activeSince()));
        leaderStore.state(r.app(), r.name(), after);
      }
    }
    for (var e : states.entrySet()) {
      // A rule removed while it fires resolves, so that its reminders stop (its receivers are the firing's).
      if (!live.contains(e.getKey()) && e.getValue().phase() == Phase.FIRING) sink.deliver(removed(e.getKey(), e.getValue(), now));
    }
    forget(states.keySet(), mutes.keySet(), all.keySet(), live);
    if (changed > 0) leaderStore.trim();
    return changed;
  }

  /** States and mutes of rules that are gone, and CLI rules of apps that are gone, are dropped. */
  private void forget(Set<String> stated, Set<String> muted, Set<String> apps, Set<String> live) {
    for (String id : stated) if (!live.contains(id)) leaderStore.dropState(id);
    for (String id : muted) if (!live.contains(id)) leaderStore.dropMute(id);
    for (AlertRule r : leaderStore.rules(Optional.empty())) if (!apps.contains(r.app())) leaderStore.dropRule(r.id());
  }

  /** The notice of a firing or a resolve; its id names the firing ({@code APP/RULE/ACTIVE_SINCE_MILLIS}) and the phase. */
  static AlertNotice notice(AlertRule r, AlertExpression x, AlertState s) {
    boolean firing = s.phase() == Phase.FIRING;
    String id = r.id() + "/" + s.activeSince().toEpochMilli() + "/" + (firing ? "firing" : "resolved");
    String summary = firing
        ? x.metric().word() + " " + x.format(s.value()) + " " + x.comparison().symbol() + " " + x.format(x.threshold()) + " for " + r.forDuration()
        : x.metric().word() + " " + x.format(s.value()) + ": no longer " + x.comparison().symbol() + " " + x.format(x.threshold());
    return new AlertNotice(id, r.app(), r.name(), r.severity(), firing ? AlertNotice.Status.FIRING : AlertNotice.Status.RESOLVED,
        r.when(), s.value(), summary, s.activeSince(), firing ? null : s.changedAt(), r.webhooks(), r.emails());
  }

  /** The resolve of an alert whose rule ({@code APP/RULE}) is gone while it fired. */
  static AlertNotice removed(String ruleId, AlertState s, Instant now) {
    int slash = ruleId.indexOf('/');
    String app = ruleId.substring(0, slash);
    String rule = ruleId.substring(slash + 1);
    return new AlertNotice(ruleId + "/" + s.activeSince().toEpochMilli() + "/resolved", app, rule, null, AlertNotice.Status.RESOLVED, "",
        s.value(), "the rule was removed", s.activeSince(), now, List.of(), List.of());
  }

  @Override
  public void close() {
    loop.stop();
  }
}

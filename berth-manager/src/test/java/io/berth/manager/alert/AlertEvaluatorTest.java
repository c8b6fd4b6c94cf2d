package io.berth.manager.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.MetricsBatch;
import io.berth.core.alert.AlertNotice;
import io.berth.core.alert.AlertRule;
import io.berth.core.alert.AlertRules;
import io.berth.core.alert.AlertState.Phase;
import io.berth.core.alert.AlertTransition;
import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.AppVersion;
import io.berth.core.error.BerthException;
import io.berth.core.lrp.ActualLrp;
import io.berth.manager.TestStore;
import io.berth.manager.leader.Singletons;
import io.berth.manager.metrics.MetricsHistory;
import io.berth.manager.metrics.CapacityForecast;
import io.berth.manager.metrics.TrafficNumbers;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader's evaluation as a scenario on a fixed clock: pending, firing, a new leader continuing, resolved, muted. */
class AlertEvaluatorTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:05Z");
  @RegisterExtension final TestStore store = new TestStore();
  Instant now = T0;
  final InstantSource clock = () -> now;
  final MetricsHistory history = new MetricsHistory(Duration.ofHours(1));
  final List<AlertNotice> told = new ArrayList<>();
  final List<AppManifest.Alert> manifestAlerts = new ArrayList<>();

  final RuleBook.AppSource apps = new RuleBook.AppSource() {
    @Override
    public List<App> list() {
      return List.of(get("web"));
    }

    @Override
    public App get(String name) {
      if (!name.equals("web")) throw new BerthException.NotFound("AppNotFound", "no app named " + name);
      return new App("web", "ann", T0, 1, 1, 1, List.of(), null, false);
    }

    @Override
    public AppVersion version(String app, int version) {
      AppManifest m = new AppManifest("web", "img", List.of("x"), 1, 0.1, "128m", Map.of(), List.of(), null, List.of(), "default", null,
          manifestAlerts, null);
      return new AppVersion("web", 1, m, "ann", T0, "");
    }
  };

  void advance(int seconds) {
    now = now.plusSeconds(seconds);
  }

  AlertEvaluator evaluator() {
    AlertStore s = new AlertStore(store.get());
    AlertEvaluator e = new AlertEvaluator(Singletons.always(store.get()), new RuleBook(s, apps), history, List::<ActualLrp>of, clock);
    e.wire(TrafficNumbers.NONE, CapacityForecast.NONE, told::add);
    return e;
  }

  void cpu(double percent) {
    MetricsBatch.Values v = new MetricsBatch.Values(percent, 1e8, 2e8, 0.0, 0.0, 0.0, 0.0, 1.0);
    history.accept("n1", new MetricsBatch(clock.millis(), 10, 2, 4L << 30, v, List.of(new MetricsBatch.Container("c1", "web-0",
        Map.of("io.berth.domain", "apps", "io.berth.process-guid", "web-v1", "io.berth.index", "0"), v))), clock.millis());
  }

  void addCli(String name, String when, String forText) {
    new AlertStore(store.get()).add(AlertRules.check("web", name, when, forText, null, List.of("http://hook.example/a"), null,
        AlertRule.Source.CLI, "ann", T0));
  }

  List<Phase> phases() {
    return new AlertStore(store.get()).history(t -> true, 100).stream().map(AlertTransition::to).toList().reversed();
  }

  @Test
  void firesAfterForTellsOnceAndANewLeaderContinuesTheFor() {
    addCli("high-cpu", "cpu > 80%", "2m");
    AlertEvaluator first = evaluator();
    cpu(90);
    assertThat(first.pass()).isEqualTo(1);
    assertThat(phases()).containsExactly(Phase.PENDING);
    advance(60);
    cpu(95);
    assertThat(first.pass()).isZero();

    AlertEvaluator second = evaluator(); // the leader changed: its state comes from the store
    advance(60);
    cpu(95);
    assertThat(second.pass()).isEqualTo(1);
    assertThat(phases()).containsExactly(Phase.PENDING, Phase.FIRING);
    assertThat(told).hasSize(1);
    AlertNotice n = told.get(0);
    assertThat(n.id()).isEqualTo("web/high-cpu/" + T0.toEpochMilli() + "/firing");
    assertThat(n.status()).isEqualTo(AlertNotice.Status.FIRING);
    assertThat(n.summary()).isEqualTo("cpu 95% > 80% for 2m");
    assertThat(n.webhooks()).containsExactly("http://hook.example/a");
    assertThat(n.endsAt()).isNull();

    advance(10);
    cpu(96);
    assertThat(second.pass()).as("still firing tells nobody again").isZero();
    advance(10);
    cpu(10);
    assertThat(second.pass()).isEqualTo(1);
    assertThat(told).hasSize(2);
    assertThat(told.get(1).id()).isEqualTo("web/high-cpu/" + T0.toEpochMilli() + "/resolved");
    assertThat(told.get(1).endsAt()).isEqualTo(clock.instant());
    assertThat(phases()).containsExactly(Phase.PENDING, Phase.FIRING, Phase.RESOLVED);
  }

  @Test
  void aMuteHoldsNoticesBackButNotTheEvaluation() {
    addCli("busy", "cpu > 50%", "0s");
    new AlertStore(store.get()).mute("web", "busy", new AlertStore.Mute(T0.plusSeconds(3600), "ann"));
    AlertEvaluator e = evaluator();
    cpu(60);
    assertThat(e.pass()).isEqualTo(1);
    assertThat(phases()).containsExactly(Phase.FIRING);
    assertThat(told).isEmpty();
  }

  @Test
  void noDataNeverFiresAndAManifestRuleIsEvaluatedToo() {
    manifestAlerts.add(new AppManifest.Alert("few", "instances_running < 2", "0s", null, null, null));
    addCli("busy", "cpu > 50%", "0s");
    AlertEvaluator e = evaluator();
    assertThat(e.pass()).as("no samples: cpu has no data; 0 instances < 2 holds").isEqualTo(1);
    assertThat(told).extracting(AlertNotice::rule).containsExactly("few");
  }

  @Test
  void statesOfRemovedRulesAreForgottenAndOneRemovedWhileFiringResolves() {
    addCli("busy", "cpu > 50%", "0s");
    AlertEvaluator e = evaluator();
    cpu(60);
    e.pass();
    assertThat(new AlertStore(store.get()).states()).containsKey("web/busy");
    new AlertStore(store.get()).remove("web", "busy");
    e.pass();
    assertThat(new AlertStore(store.get()).states()).isEmpty();
    assertThat(told).extracting(AlertNotice::id).as("its reminders end with a resolve")
        .containsExactly("web/busy/" + T0.toEpochMilli() + "/firing", "web/busy/" + T0.toEpochMilli() + "/resolved");
    assertThat(told.get(1).summary()).isEqualTo("the rule was removed");
  }

  @Test
  void theHistoryKeepsTheNewestThousand() {
    AlertStore s = new AlertStore(store.get());
    for (int i = 0; i < AlertStore.HISTORY_KEPT + 5; i++) {
      s.append(new AlertTransition(T0.plusSeconds(i), "web", "r", Phase.INACTIVE, Phase.PENDING, i, "cpu > 1", "warning", T0));
    }
    assertThat(s.trim()).isEqualTo(5);
    List<AlertTransition> kept = s.history(t -> true, AlertStore.HISTORY_KEPT + 5);
    assertThat(kept).hasSize(AlertStore.HISTORY_KEPT);
    assertThat(kept.get(kept.size() - 1).value()).isEqualTo(5);
  }
}

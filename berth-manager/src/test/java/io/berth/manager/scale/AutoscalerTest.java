package io.berth.manager.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.loop.FakeLoopTime;
import io.berth.cluster.loop.Gate;
import io.berth.core.app.App;
import io.berth.core.app.AppManifest;
import io.berth.core.app.Autoscale;
import io.berth.core.app.Rollout;
import io.berth.core.error.BerthException;
import io.berth.core.scale.Load;
import io.berth.manager.MovingClock;
import io.berth.manager.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The autoscaling loop against fake apps and a fake load, on a clock the test moves. */
class AutoscalerTest {
  @RegisterExtension final TestStore store = new TestStore();
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private final MovingClock clock = new MovingClock(T0);


  /** Apps by name and the scales asked of them; {@code busy} apps roll out. */
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private final List<String> scales = new CopyOnWriteArrayList<>();
  private volatile double cpu = 60;

  private final Scaler scaler = new Scaler() {
    @Override
    public Optional<App> app(String name) {
      return Optional.ofNullable(apps.get(name));
    }

    @Override
    public void scale(String app, int instances, String reason) {
      App a = apps.get(app);
      if (a.rollingOut()) throw new BerthException.Conflict("RolloutInProgress", "busy");
      apps.put(app, a.withCurrent(a.current(), instances));
      scales.add(app + " " + a.instances() + " → " + instances + ": " + reason);
    }
  };
  private final LoadSource loads = (app, version, instances, nowMillis) -> new Load(instances, cpu, Double.NaN, Double.NaN);

  private Autoscaler autoscaler(List<Autoscaler.Scaled> seen) {
    return new Autoscaler(new AutoscaleStore(store.get()), scaler, loads, clock, Gate.OPEN, null, seen::add);
  }

  private void autoscaled(String name, int instances, Autoscale a) {
    apps.put(name, new App(name, "ann", T0, 1, 1, instances, List.of(new App.Live(1, instances, instances, null)), null, false));
    assertThat(new AutoscaleStore(store.get()).replace(new AutoscaleRecord(name, a, "ann", T0, List.of()), 0)).isTrue();
  }

  @Test
  void growsAtOnceAndShrinksOnlyOnceTheWindowHasPassed() {
    autoscaled("web", 2, new Autoscale(2, 10, "60%", null, null));
    List<Autoscaler.Scaled> seen = new ArrayList<>();
    Autoscaler a = autoscaler(seen);
    cpu = 150;
    a.pass();
    assertThat(scales).containsExactly("web 2 → 5: cpu 150 % > 60 %");
    assertThat(seen).extracting(Autoscaler.Scaled::to).containsExactly(5);
    cpu = 12;
    for (int i = 0; i < 20; i++) { // 5 minutes of passes
      clock.advance(Duration.ofSeconds(15));
      a.pass();
    }
    assertThat(scales).hasSize(1);
    clock.advance(Duration.ofSeconds(15));
    a.pass();
    assertThat(scales).last().isEqualTo("web 5 → 2: cpu 12 % < 60 % (min 2)");
    a.close();
  }

  @Test
  void waitsWhileARolloutRuns() {
    autoscaled("web", 2, new Autoscale(2, 10, "60%", null, null));
    App busy = apps.get("web").withRollout(new Rollout("deploy", AppManifest.Strategy.ROLLING, List.of(1), 2, 2,
        Rollout.Phase.PROGRESSING, "starting", 0, 2, "ann", T0, null, T0.plusSeconds(300)));
    apps.put("web", busy);
    cpu = 200;
    Autoscaler a = autoscaler(new ArrayList<>());
    assertThat(a.pass()).isEmpty();
    apps.put("web", busy.withRollout(busy.rollout().in(Rollout.Phase.SUCCEEDED, "done", T0)));
    assertThat(a.pass()).extracting(Autoscaler.Scaled::to).containsExactly(6);
    a.close();
  }

  @Test
  void aNewLeaderKeepsTheStabilisationWindowFromTheStore() {
    autoscaled("web", 6, new Autoscale(1, 10, "60%", null, null));
    Autoscaler first = autoscaler(new ArrayList<>());
    first.pass(); // recommends 6, stored
    first.close();
    cpu = 10;
    clock.advance(Duration.ofSeconds(60));
    Autoscaler second = autoscaler(new ArrayList<>());
    assertThat(second.pass()).isEmpty(); // 6 is still in the window it read
    clock.advance(Duration.ofMinutes(5));
    assertThat(second.pass()).extracting(Autoscaler.Scaled::to).containsExactly(1);
    second.close();
  }

  @Test
  void theLoopPassesEveryFifteenSecondsOnTheLeaderOnly() {
    autoscaled("web", 2, new Autoscale(2, 10, "60%", null, null));
    FakeLoopTime time = new FakeLoopTime();
    List<Autoscaler.Scaled> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean leads = new AtomicBoolean(false);
    Autoscaler a = new Autoscaler(new AutoscaleStore(store.get()), scaler, loads, clock, leads::get, time, seen::add);
    cpu = 120;
    a.start();
    time.untilParkedFor(Autoscaler.EVERY);
    time.advance(Autoscaler.EVERY);
    time.untilParkedFor(Autoscaler.EVERY);
    assertThat(seen).isEmpty(); // not the leader: no pass
    leads.set(true);
    time.advance(Autoscaler.EVERY);
    time.untilParkedFor(Autoscaler.EVERY);
    assertThat(seen).extracting(Autoscaler.Scaled::to).containsExactly(4);
    a.close();
  }

  @Test
  void autoscaleEverySetsThePaceFromAPassAtOnce() {
    autoscaled("web", 2, new Autoscale(2, 10, "60%", null, null));
    FakeLoopTime time = new FakeLoopTime();
    List<Autoscaler.Scaled> seen = new CopyOnWriteArrayList<>();
    Autoscaler a = new Autoscaler(new AutoscaleStore(store.get()), scaler, loads, clock, Gate.OPEN, time, seen::add);
    cpu = 120;
    a.start();
    time.untilParkedFor(Autoscaler.EVERY);
    a.every(Duration.ofSeconds(3)); // --autoscale-every 3s: a pass now, then one every 3 s
    time.untilParkedFor(Duration.ofSeconds(3));
    assertThat(seen).extracting(Autoscaler.Scaled::to).containsExactly(4);
    time.advance(Duration.ofSeconds(3));
    time.untilParkedFor(Duration.ofSeconds(3));
    assertThat(seen).extracting(Autoscaler.Scaled::to).containsExactly(4, 8);
    a.close();
  }
}

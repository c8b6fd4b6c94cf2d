package io.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.alert.AlertState.Phase;
import io.berth.core.alert.AlertState.Step;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Prometheus' {@code for}: pending while it holds, firing once it held for the whole period, resolved when it stops. */
class AlertStateTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  static final Duration FOR = Duration.ofMinutes(2);

  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void firesOnlyAfterHoldingForTheWholePeriod() {
    Step s = AlertState.NEW.step(true, 90, FOR, at(0));
    assertThat(s.changed()).isTrue();
    assertThat(s.next().phase()).isEqualTo(Phase.PENDING);
    assertThat(s.next().activeSince()).isEqualTo(at(0));
    s = s.next().step(true, 91, FOR, at(110));
    assertThat(s.changed()).isFalse();
    assertThat(s.next().phase()).isEqualTo(Phase.PENDING);
    s = s.next().step(true, 92, FOR, at(120));
    assertThat(s.changed()).isTrue();
    assertThat(s.next()).isEqualTo(new AlertState(Phase.FIRING, at(0), at(120), 92));
    s = s.next().step(true, 95, FOR, at(130));
    assertThat(s.changed()).as("still firing is no news").isFalse();
  }

  @Test
  void aPendingRuleThatStopsHoldingStartsAgainFromZero() {
    AlertState pending = AlertState.NEW.step(true, 90, FOR, at(0)).next();
    Step s = pending.step(false, 50, FOR, at(60));
    assertThat(s.changed()).isTrue();
    assertThat(s.next().phase()).isEqualTo(Phase.INACTIVE);
    AlertState again = s.next().step(true, 90, FOR, at(70)).next();
    assertThat(again.activeSince()).isEqualTo(at(70));
    assertThat(again.step(true, 90, FOR, at(130)).next().phase()).isEqualTo(Phase.PENDING);
  }

  @Test
  void aFiringRuleResolvesWhenItStopsHoldingOrHasNoData() {
    AlertState firing = new AlertState(Phase.FIRING, at(0), at(120), 92);
    Step s = firing.step(false, Double.NaN, FOR, at(200));
    assertThat(s.changed()).isTrue();
    assertThat(s.next().phase()).isEqualTo(Phase.RESOLVED);
    assertThat(s.next().activeSince()).as("the resolve names the firing it ends").isEqualTo(at(0));
    assertThat(s.next().step(false, 1, FOR, at(210)).changed()).isFalse();
    assertThat(s.next().step(true, 99, FOR, at(220)).next()).isEqualTo(new AlertState(Phase.PENDING, at(220), at(220), 99));
  }

  @Test
  void withoutForItFiresAtOnce() {
    Step s = AlertState.NEW.step(true, 1, Duration.ZERO, at(0));
    assertThat(s.next().phase()).isEqualTo(Phase.FIRING);
    assertThat(s.changed()).isTrue();
  }

  @Test
  void aStateReadBackByANewLeaderKeepsItsStart() {
    AlertState stored = new AlertState(Phase.PENDING, at(0), at(0), 90); // written by the old leader 90 s ago
    assertThat(stored.step(true, 90, FOR, at(100)).next().phase()).isEqualTo(Phase.PENDING);
    assertThat(stored.step(true, 90, FOR, at(120)).next().phase()).isEqualTo(Phase.FIRING);
  }
}

package io.berth.core.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.app.Autoscale;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpaTest {
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final Autoscale CPU60 = new Autoscale(2, 10, "60%", null, null);

  private static Load cpu(int measured, double percent) {
    return new Load(measured, percent, Double.NaN, Double.NaN);
  }

  @Test
  void scalesUpByTheRatioOfMetricToTarget() {
    Hpa.Decision d = Hpa.decide(CPU60, 3, cpu(3, 92), List.of(), T0, WINDOW);
    assertThat(d.desired()).isEqualTo(5); // ceil(3 × 92 / 60) = ceil(4.6)
    assertThat(d.reason()).isEqualTo("cpu 92 % > 60 %");
  }

  @Test
  void staysWithinTheTenPercentTolerance() {
    assertThat(Hpa.decide(CPU60, 4, cpu(4, 65.9), List.of(), T0, WINDOW).desired()).isEqualTo(4);
    assertThat(Hpa.decide(CPU60, 4, cpu(4, 54.1), List.of(), T0, WINDOW).desired()).isEqualTo(4);
    assertThat(Hpa.decide(CPU60, 4, cpu(4, 66.1), List.of(), T0, WINDOW).desired()).isEqualTo(5);
  }

  @Test
  void scaleUpIsLimitedToDoublingOrFourMore() {
    Autoscale wide = new Autoscale(1, 100, "10%", null, null);
    assertThat(Hpa.decide(wide, 10, cpu(10, 100), List.of(), T0, WINDOW).desired()).isEqualTo(20); // not 100
    assertThat(Hpa.decide(wide, 1, cpu(1, 100), List.of(), T0, WINDOW).desired()).isEqualTo(5); // 1 + 4 beats 2 × 1
  }

  @Test
  void theHighestProposalAmongMetricsWins() {
    Autoscale all = new Autoscale(1, 20, "60%", "70%", 50.0);
    Hpa.Decision d = Hpa.decide(all, 4, new Load(4, 30, 70, 100), List.of(), T0, WINDOW);
    assertThat(d.desired()).isEqualTo(8);
    assertThat(d.reason()).isEqualTo("requests_per_instance 100 > 50");
  }

  @Test
  void aMissingMetricProposesNothing() {
    Autoscale rps = new Autoscale(2, 10, null, null, 50.0);
    assertThat(Hpa.decide(rps, 3, cpu(3, 500), List.of(), T0, WINDOW).desired()).isEqualTo(3);
    assertThat(Hpa.decide(CPU60, 3, Load.NONE, List.of(), T0, WINDOW).history()).isEmpty();
  }

  @Test
  void scalesDownOnlyToTheHighestRecommendationOfTheWindow() {
    List<Recommendation> history = Hpa.decide(CPU60, 6, cpu(6, 60), List.of(), T0, WINDOW).history(); // recommends 6
    Hpa.Decision early = Hpa.decide(CPU60, 6, cpu(6, 20), history, T0.plusSeconds(60), WINDOW);
    assertThat(early.desired()).isEqualTo(6);
    Hpa.Decision later = Hpa.decide(CPU60, 6, cpu(6, 20), early.history(), T0.plusSeconds(361), WINDOW); // 6 was recommended until 60 s
    assertThat(later.desired()).isEqualTo(2);
    assertThat(later.reason()).isEqualTo("cpu 20 % < 60 %");
  }

  @Test
  void aHigherRecommendationInTheWindowHoldsAPartialScaleDown() {
    List<Recommendation> h = List.of(new Recommendation(T0, 8), new Recommendation(T0.plusSeconds(60), 5));
    Hpa.Decision d = Hpa.decide(CPU60, 8, cpu(8, 15), h, T0.plusSeconds(361), WINDOW);
    assertThat(d.desired()).isEqualTo(5); // 8 ended (at 60 s) before the window; 5 is in it
  }

  @Test
  void neverLeavesMinAndMax() {
    assertThat(Hpa.decide(CPU60, 9, cpu(9, 200), List.of(), T0, WINDOW).desired()).isEqualTo(10);
    assertThat(Hpa.decide(CPU60, 9, cpu(9, 200), List.of(), T0, WINDOW).reason()).isEqualTo("cpu 200 % > 60 % (max 10)");
    assertThat(Hpa.decide(CPU60, 1, Load.NONE, List.of(), T0, WINDOW).desired()).isEqualTo(2);
    assertThat(Hpa.decide(CPU60, 1, Load.NONE, List.of(), T0, WINDOW).reason()).isEqualTo("min 2");
    assertThat(Hpa.decide(CPU60, 12, Load.NONE, List.of(), T0, WINDOW).desired()).isEqualTo(10);
    assertThat(Hpa.decide(CPU60, 3, cpu(3, 1), List.of(), T0.plus(WINDOW), WINDOW).desired()).isEqualTo(2);
  }

  @Test
  void historyKeepsOneEntryPerChange() {
    List<Recommendation> h = Hpa.record(List.of(), 4, T0, WINDOW);
    h = Hpa.record(h, 4, T0.plusSeconds(15), WINDOW);
    assertThat(h).containsExactly(new Recommendation(T0, 4));
    h = Hpa.record(h, 3, T0.plusSeconds(400), WINDOW);
    h = Hpa.record(h, 2, T0.plusSeconds(800), WINDOW);
    assertThat(h).containsExactly(new Recommendation(T0.plusSeconds(400), 3), new Recommendation(T0.plusSeconds(800), 2));
  }
}

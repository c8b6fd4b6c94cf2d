package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.bench.ScaleTimeline.Sample;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScaleTimelineTest {
  @Test
  void timesFromTheStepToTheFirstNewInstanceAndToTheTargetAndTheOvershoot() {
    List<Sample> samples = List.of(
        new Sample(0.2, 2, 2, 1),
        new Sample(16.0, 6, 2, 0),   // the autoscaler asked for 6
        new Sample(19.5, 6, 3, 1),   // one new instance in the route table...
        new Sample(19.9, 6, 3, 2),   // ...answering through nginx
        new Sample(21.0, 6, 6, 5),
        new Sample(50.0, 5, 5, 4),   // down to what the load needs
        new Sample(90.0, 5, 5, 3));  // the load ends at 90 s
    ScaleTimeline.Summary s = ScaleTimeline.summarize(samples, 2, 90);
    assertThat(s.firstRouted()).isEqualTo(OptionalDouble.of(19.5));
    assertThat(s.firstServed()).isEqualTo(OptionalDouble.of(19.9));
    assertThat(s.target()).isEqualTo(5);
    assertThat(s.toTarget()).isEqualTo(OptionalDouble.of(21.0));
    assertThat(s.most()).isEqualTo(6);
    assertThat(s.overshoot()).isEqualTo(1);
    assertThat(s.backToMin()).isEmpty();
    assertThat(s.servedWithin(30)).isTrue();
    assertThat(s.servedWithin(19.8)).isFalse();
  }

  @Test
  void theWayBackToTheMinimumCountsFromTheEndOfTheLoadOnceWantedAndRoutedAreBoth() {
    List<Sample> samples = List.of(
        new Sample(1, 2, 2, 0),
        new Sample(20, 4, 4, 3),
        new Sample(60, 4, 4, 2),
        new Sample(100, 2, 4, 3),   // wanted, not yet out of the routes
        new Sample(104.5, 2, 2, 1));
    ScaleTimeline.Summary s = ScaleTimeline.summarize(samples, 2, 60);
    assertThat(s.overshoot()).isZero();
    assertThat(s.backToMin()).isEqualTo(OptionalDouble.of(44.5));
  }

  @Test
  void anAppThatNeverGrewHasNoFirstInstanceNoTimeToTargetAndMissesTheAim() {
    List<Sample> samples = List.of(new Sample(1, 2, 2, 1), new Sample(60, 2, 2, -1));
    ScaleTimeline.Summary s = ScaleTimeline.summarize(samples, 2, 60);
    assertThat(s.firstRouted()).isEmpty();
    assertThat(s.firstServed()).isEmpty();
    assertThat(s.target()).isEqualTo(2);
    assertThat(s.toTarget()).isEmpty();
    assertThat(s.servedWithin(30)).isFalse();
  }

  @Test
  void noSampleUnderTheLoadIsRefused() {
    assertThatThrownBy(() -> ScaleTimeline.summarize(List.of(new Sample(70, 2, 2, 0)), 2, 60))
        .hasMessage("no samples under the load");
  }
}

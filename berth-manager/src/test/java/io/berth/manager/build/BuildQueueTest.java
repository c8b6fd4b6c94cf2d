package io.berth.manager.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildQueueTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  private static Run queued(String build, int n, int secondsAfter) {
    return Run.queued(build, n, T0.plusSeconds(secondsAfter), "ann", "main", null, false, "manual");
  }

  private static Run running(String build, int n, String node, String step) {
    Run r = queued(build, n, 0).placed(node, T0);
    return step == null ? r : r.withSteps(List.of(new Run.Step(step, T0, null, null)), 0);
  }

  @Test
  void startsQueuedRunsOnTheRingsNodeUpToItsSlotsAndQueuesTheRestInOrder() {
    List<Run> runs = new ArrayList<>();
    for (int i = 1; i <= 4; i++) runs.add(queued("app", i, i));
    BuildQueue.Plan p = BuildQueue.plan(runs, Map.of("n1", 2), b -> 1800, T0.plusSeconds(10));
    assertThat(p.starts()).extracting(s -> s.run().number()).containsExactly(1, 2);
    assertThat(p.starts()).extracting(BuildQueue.Start::node).containsOnly("n1");
    assertThat(p.places()).containsEntry(new BuildQueue.RunId("app", 3), 1).containsEntry(new BuildQueue.RunId("app", 4), 2);
  }

  @Test
  void runningRunsTakeTheirSlots() {
    List<Run> runs = List.of(running("app", 1, "n1", "clone"), running("app", 2, "n1", "image"), queued("app", 3, 5));
    BuildQueue.Plan p = BuildQueue.plan(runs, Map.of("n1", 2), b -> 1800, T0.plusSeconds(10));
    assertThat(p.starts()).isEmpty();
    assertThat(p.places()).containsEntry(new BuildQueue.RunId("app", 3), 1);
  }

  @Test
  void aLostNodeFailsItsRunsNamingTheStepAndFreesNothingElse() {
    List<Run> runs = List.of(running("app", 1, "n2", "image"), queued("app", 2, 5));
    BuildQueue.Plan p = BuildQueue.plan(runs, Map.of("n1", 2), b -> 1800, T0.plusSeconds(10));
    assertThat(p.failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo("build node n2 was lost during step image");
      assertThat(f.step()).isEqualTo("image");
    });
    assertThat(p.starts()).singleElement().satisfies(s -> assertThat(s.node()).isEqualTo("n1"));
  }

  @Test
  void aRunOutOfTimeFailsWithItsStep() {
    List<Run> runs = List.of(running("app", 1, "n1", "prepare"));
    assertThat(BuildQueue.plan(runs, Map.of("n1", 2), b -> 1800, T0.plus(Duration.ofMinutes(29))).failures()).isEmpty();
    BuildQueue.Plan p = BuildQueue.plan(runs, Map.of("n1", 2), b -> 1800, T0.plus(Duration.ofMinutes(30)));
    assertThat(p.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("timed out after 30m in step prepare"));
  }

  @Test
  void withoutBuildNodesRunsWaitWithNoPlace() {
    BuildQueue.Plan p = BuildQueue.plan(List.of(queued("app", 1, 0)), Map.of(), b -> 1800, T0);
    assertThat(p.starts()).isEmpty();
    assertThat(p.places()).containsEntry(new BuildQueue.RunId("app", 1), null);
  }

  @Test
  void slotsComeFromTheLabelWithADefaultOfTwo() {
    assertThat(BuildQueue.slots(Map.of("berth.build.slots", "4"))).isEqualTo(4);
    assertThat(BuildQueue.slots(Map.of())).isEqualTo(2);
    assertThat(BuildQueue.slots(Map.of("berth.build.slots", "zero"))).isEqualTo(2);
    assertThat(BuildQueue.takesBuilds(Map.of("berth.build", "true"))).isTrue();
    assertThat(BuildQueue.takesBuilds(Map.of())).isFalse();
  }
}

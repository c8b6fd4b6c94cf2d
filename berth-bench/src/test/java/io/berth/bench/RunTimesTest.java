package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.bench.RunTimes.Segment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTimesTest {
  static final String RUN = """
      {"number": 2, "state": "ok", "at": "2026-12-06T18:00:01.000Z", "started_at": "2026-12-06T18:00:01.250Z",
       "ended_at": "2026-12-06T18:00:09.000Z",
       "steps": [{"name": "clone", "started_at": "2026-12-06T18:00:01.400Z", "millis": 600, "outcome": "ok"},
                 {"name": "prepare", "started_at": "2026-12-06T18:00:02.050Z", "millis": 1000, "outcome": "ok"},
                 {"name": "image", "started_at": "2026-12-06T18:00:03.100Z", "millis": 4000, "outcome": "ok"},
                 {"name": "push", "started_at": "2026-12-06T18:00:07.150Z", "millis": 1500, "outcome": "ok"},
                 {"name": "deploy", "started_at": "2026-12-06T18:00:08.800Z", "millis": 100, "outcome": "ok"}]}
      """;

  static JsonNode run(String json) throws Exception {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void aStepsTimeIsItsMillisAndAMissingStepIsMinusOne() throws Exception {
    assertThat(RunTimes.step(run(RUN), "image")).isEqualTo(4000);
    assertThat(RunTimes.step(run(RUN), "push")).isEqualTo(1500);
    assertThat(RunTimes.step(run(RUN), "test")).isEqualTo(-1);
    assertThat(RunTimes.whole(run(RUN))).isEqualTo(8000);
  }

  @Test
  void theAimComparesTheRunLessItsCloneAndPushWithDockerBuildAlone() throws Exception {
    assertThat(RunTimes.wholeLessCloneAndPush(run(RUN))).isEqualTo(8000 - 600 - 1500);
    JsonNode noPush = run("""
        {"at": "2026-12-06T18:00:00Z", "ended_at": "2026-12-06T18:00:02Z", "steps": [{"name": "clone", "millis": 500}]}""");
    assertThat(RunTimes.wholeLessCloneAndPush(noPush)).isEqualTo(1500);
  }

  @Test
  void overheadIsInPercentOfTheMedians() {
    assertThat(RunTimes.overheadPercent(new double[] {1050, 900, 2000}, new double[] {1000, 5000, 800})).isCloseTo(5.0, within(1e-9));
    assertThat(RunTimes.overheadPercent(new double[] {900}, new double[] {1000})).isCloseTo(-10.0, within(1e-9));
  }

  @Test
  void pushToCanaryCutsTheTimelineIntoSegmentsThatAddUpToTheWhole() throws Exception {
    Instant pushStart = Instant.parse("2026-12-06T18:00:00.500Z");
    Instant pushed = Instant.parse("2026-12-06T18:00:00.800Z");
    Instant firstNew = Instant.parse("2026-12-06T18:00:12.000Z");
    List<Segment> s = RunTimes.pushToCanary(run(RUN), pushStart, pushed, firstNew);
    assertThat(s).containsExactly(
        new Segment("git push", 300),
        new Segment("webhook, until the run is queued", 200),
        new Segment("queue (waiting for a slot)", 250),
        new Segment("job to the build node", 150),
        new Segment("step clone", 600),
        new Segment("step prepare", 1000),
        new Segment("step image", 4000),
        new Segment("step push", 1500),
        new Segment("step deploy", 100),
        new Segment("between steps (reports)", 400),
        new Segment("run ended -> first 200 of the new version through nginx", 3000));
    assertThat(RunTimes.total(s)).isEqualTo(11_500);
  }

  @Test
  void aRunWithoutStepsGoesFromStartToEnd() throws Exception {
    JsonNode r = run("""
        {"at": "2026-12-06T18:00:00Z", "started_at": "2026-12-06T18:00:01Z", "ended_at": "2026-12-06T18:00:03Z", "steps": []}""");
    List<Segment> s = RunTimes.pushToCanary(r, Instant.parse("2026-12-06T17:59:59Z"), Instant.parse("2026-12-06T18:00:00Z"),
        Instant.parse("2026-12-06T18:00:04Z"));
    assertThat(s).extracting(Segment::millis).containsExactly(1000L, 0L, 1000L, 2000L, 0L, 1000L);
  }

  @Test
  void aRunThatHasNotEndedIsAClearError() throws Exception {
    JsonNode r = run("{\"number\": 3, \"at\": \"2026-12-06T18:00:00Z\", \"started_at\": null}");
    assertThatThrownBy(() -> RunTimes.pushToCanary(r, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run 3 has no started_at");
  }
}

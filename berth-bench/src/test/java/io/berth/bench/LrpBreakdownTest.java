package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrpBreakdownTest {
  @TempDir Path dir;

  @Test
  void aNodesCreateStepsAreReadFromItsAgentsLog() throws Exception {
    Path log = dir.resolve("agent-node30.log");
    Files.writeString(log, """
        20:28:10.001 INFO  Executor instance-claimed instance=z process=bench-cold index=0 reason=
        20:28:11.500 INFO  InstanceSteps instance-started instance=z container=c0 ms=1499 image_ms=1 prepare_ms=2 create_ms=900 start_ms=500
        20:28:12.857 INFO  WorkLoop assignments-received revision=11 count=0
        20:28:25.632 INFO  Executor instance-claimed instance=a process=bench index=0 reason=
        20:28:25.638 INFO  Executor instance-claimed instance=b process=bench index=3 reason=
        20:28:27.739 INFO  InstanceSteps instance-started instance=b container=c1 ms=2076 image_ms=2 prepare_ms=4 create_ms=1200 start_ms=870
        20:28:28.665 INFO  InstanceSteps instance-started instance=a container=c2 ms=3003 image_ms=3 prepare_ms=6 create_ms=1800 start_ms=1194
        20:28:29.001 INFO  InstanceSteps instance-started instance=a container=c2 ms=300
        """);

    LrpBreakdown.Node n = LrpBreakdown.node("node30", log, LocalTime.parse("20:28:25.000"));

    // a restart in place carries no parts and is not a create; an earlier LRP's lines (before t0) are not this one's
    assertThat(n.instances()).isEqualTo(2);
    assertThat(n.firstStepMs()).isEqualTo(632);
    assertThat(n.lastStartedMs()).isEqualTo(3665);
    assertThat(n.createMs()).containsExactly(1200, 1800);
    assertThat(n.startMs()).containsExactly(870, 1194);
    assertThat(n.stepMs()).containsExactly(2076, 3003);
  }

  @Test
  void aLineJustPastMidnightIsLaterNotEarlier() {
    assertThat(LrpBreakdown.after(LocalTime.parse("23:59:59.500"), "00:00:00.250")).isEqualTo(750);
  }
}

package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.InstanceReport;
import io.berth.engine.ContainerSummary;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tasks on the executor: their result file, and a result the agent missed while it was away. */
class ExecutorTaskTest extends ExecutorFixture {
  @Test
  void aTaskCompletesWithItsResultFileAndItsContainerGoesOnceReported() {
    Executor x = executor();
    x.assign(List.of(task("t1", "/tmp/result.json"), task("t2", "/tmp/result.json")));
    x.pass();
    var byGuid = ours().stream().collect(Collectors.toMap(c -> c.labels().get(ContainerPlan.INSTANCE_GUID), ContainerSummary::id));
    engine.writeFile(byGuid.get("t1"), "/tmp/result.json", "{\"answer\":42}".getBytes());
    engine.exit(byGuid.get("t1"), 0);
    engine.exit(byGuid.get("t2"), 2);
    x.pass();
    InstanceReport t1 = reports.stream().filter(r -> r.instanceGuid().equals("t1") && r.state().equals("COMPLETED")).findFirst().orElseThrow();
    assertThat(t1.failed()).isFalse();
    assertThat(t1.result()).isEqualTo("{\"answer\":42}");
    InstanceReport t2 = reports.stream().filter(r -> r.instanceGuid().equals("t2") && r.state().equals("COMPLETED")).findFirst().orElseThrow();
    assertThat(t2.failed()).isTrue();
    assertThat(t2.reason()).isEqualTo("exited with status 2");
    assertThat(ours()).hasSize(2); // kept until the manager has the result
    x.delivered(List.of(t1, t2));
    x.pass();
    assertThat(ours()).isEmpty();
  }

  @Test
  void aRestartedAgentReportsATaskThatEndedWhileItWasAway() {
    Executor first = executor();
    first.assign(List.of(task("t1", "/tmp/out")));
    first.pass();
    String id = only();
    engine.writeFile(id, "/tmp/out", "done".getBytes());
    engine.exit(id, 0);
    reports.clear();
    Executor second = executor();
    second.assign(List.of(task("t1", "/tmp/out")));
    second.pass();
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.state()).isEqualTo("COMPLETED");
      assertThat(r.result()).isEqualTo("done");
    });
  }
}

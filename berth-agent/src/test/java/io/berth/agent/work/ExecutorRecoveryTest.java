package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lrp.PortMapping;
import io.berth.engine.ContainerSpec;
import io.berth.engine.ContainerSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the executor finds on the engine and keeps telling: adopted, foreign and vanished containers, and the resend. */
class ExecutorRecoveryTest extends ExecutorFixture {
  @Test
  void aRestartedExecutorAdoptsTheRunningContainerInsteadOfStartingAnother() {
    Executor first = executor();
    first.assign(List.of(lrp("g1", 0, null, 0, 8080)));
    first.pass();
    String id = only();
    actionStarts(id);
    first.pass();
    reports.clear();
    Executor second = executor();
    second.pass(); // no assignment list yet: touches nothing
    assertThat(ours()).extracting(ContainerSummary::id).containsExactly(id);
    second.assign(List.of(lrp("g1", 0, null, 0, 8080)));
    second.pass();
    second.pass();
    assertThat(ours()).extracting(ContainerSummary::id).containsExactly(id);
    assertThat(states()).containsExactly("g1:RUNNING");
    assertThat(reports.get(0).ports()).containsExactly(new PortMapping(8080, 61000)); // from the container's label
  }

  @Test
  void containersNobodyAssignsAreStoppedAndRemovedButOthersAreLeftAlone() {
    String foreign = engine.create(new ContainerSpec("someone-elses", "app:1", List.of("sleep"), List.of(), Map.of("x", "y"), 0, 0, Map.of(), ""));
    engine.start(foreign);
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0)));
    x.pass();
    assertThat(ours()).hasSize(1);
    x.assign(List.of());
    x.pass();
    assertThat(ours()).isEmpty();
    assertThat(engine.inspect(foreign).orElseThrow().running()).isTrue();
  }

  @Test
  void aContainerRemovedBehindTheAgentsBackIsACrashNotARestart() {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0)));
    x.pass();
    engine.remove(only(), true);
    x.pass();
    x.pass();
    assertThat(ours()).isEmpty();
    assertThat(reports.get(reports.size() - 1).state()).isEqualTo("CRASHED");
    assertThat(reports.get(reports.size() - 1).reason()).contains("disappeared");
  }

  @Test
  void everyStateIsSentAgainEveryResendInterval() {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0), lrp("g2", 1, null, 0)));
    x.pass();
    ours().forEach(c -> actionStarts(c.id()));
    x.pass();
    reports.clear();
    advance(Duration.ofSeconds(10));
    x.pass();
    assertThat(states()).containsExactlyInAnyOrder("g1:RUNNING", "g2:RUNNING");
  }
}

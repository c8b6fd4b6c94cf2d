package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.PortMapping;
import io.berth.engine.ContainerEvent;
import io.berth.engine.ContainerSpec;
import io.berth.engine.ContainerSummary;
import io.berth.engine.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An LRP instance on the executor: its container, setup, start, health checks and crashes. */
class ExecutorTest extends ExecutorFixture {
  @Test
  void createsOneLabelledContainerWithDiegosEnvPortsAndLimits() {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 3, null, 0, 8080, 2222)));
    x.pass();
    x.pass();
    String id = only();
    var d = engine.inspect(id).orElseThrow();
    assertThat(d.labels()).containsEntry(ContainerPlan.INSTANCE_GUID, "g1").containsEntry(ContainerPlan.PROCESS_GUID, "web")
        .containsEntry(ContainerPlan.INDEX, "3").containsEntry(ContainerPlan.KIND, "lrp").containsEntry(ContainerPlan.DOMAIN, "apps")
        .containsEntry(ContainerPlan.RESERVED_MEMORY, Long.toString(128L << 20)).containsEntry(ContainerPlan.RESERVED_CPUS, "0")
        .containsEntry(ContainerPlan.HOST_PORTS, "8080:61000,2222:61001");
    assertThat(d.cpuShares()).isEqualTo(512);
    assertThat(d.publishedPorts()).containsEntry("8080/tcp", 61000).containsEntry("2222/tcp", 61001);
    ContainerSpec spec = ContainerPlan.spec(lrp("g1", 3, null, 0, 8080, 2222), IP, List.of(new PortMapping(8080, 61000), new PortMapping(2222, 61001)));
    assertThat(spec.hostIp()).isEqualTo(IP);
    assertThat(spec.entrypoint()).containsExactly("/.berth/busybox");
    assertThat(spec.cmd()).containsExactly("sh", "/.berth/run.sh");
    assertThat(spec.env()).containsExactly("GREETING=hi", "INSTANCE_GUID=g1", "INSTANCE_INDEX=3", "CF_INSTANCE_GUID=g1",
        "CF_INSTANCE_INDEX=3", "CF_INSTANCE_IP=10.0.0.7", "CF_INSTANCE_PORT=61000", "CF_INSTANCE_ADDR=10.0.0.7:61000",
        "CF_INSTANCE_PORTS=[{\"external\":61000,\"internal\":8080},{\"external\":61001,\"internal\":2222}]", "PORT=8080");
    assertThat(engine.file(id, "/.berth/run.sh").map(String::new).orElseThrow()).contains("export 'RUN_ONLY=1'").contains("'/bin/app' '--serve'");
    assertThat(engine.file(id, "/.berth/busybox")).isPresent();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING"); // no setup: the action began with the container
  }

  @Test
  void withASetupItIsClaimedUntilTheScriptSaysTheActionBegan() {
    Executor x = executor();
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), a.image(), a.env(), 0, 0, 0, false,
        RUN, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED");
    actionStarts(only());
    advance(Duration.ofMillis(60)); // checked again 50 ms after the first miss
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING");
  }

  @Test
  void withoutChecksItIsRunningOnceTheActionStarts() {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0, 8080)));
    x.pass();
    actionStarts(only());
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING");
    assertThat(reports.get(1).ports()).containsExactly(new PortMapping(8080, 61000));
    x.pass();
    assertThat(reports).hasSize(2);
  }

  @Test
  void aMonitorIsPolledFastUntilItPassesThenSlowlyAndAFailureThenIsACrash() {
    AtomicInteger execs = new AtomicInteger();
    AtomicInteger healthyAfter = new AtomicInteger(3);
    engine.onExec((e, id, cmd) -> {
      assertThat(cmd).containsExactly("/.berth/busybox", "sh", "/.berth/monitor.sh");
      return new ExecResult(execs.incrementAndGet() >= healthyAfter.get() ? 0 : 1, "");
    });
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, MONITOR, 60, 8080)));
    x.pass();
    String id = only();
    assertThat(engine.file(id, "/.berth/monitor.sh")).isPresent();
    actionStarts(id);
    x.pass();
    assertThat(execs).hasValue(1);
    x.pass(); // not due yet
    assertThat(execs).hasValue(1);
    advance(Duration.ofMillis(500));
    x.pass();
    advance(Duration.ofMillis(500));
    x.pass();
    assertThat(execs).hasValue(3);
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING");
    advance(Duration.ofSeconds(29));
    x.pass();
    assertThat(execs).hasValue(3);
    healthyAfter.set(Integer.MAX_VALUE);
    advance(Duration.ofSeconds(1));
    x.pass();
    advance(Duration.ofMillis(500));
    x.pass();
    assertThat(states()).as("two failed checks in a row are not enough").containsExactly("g1:CLAIMED", "g1:RUNNING");
    advance(Duration.ofMillis(500));
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING", "g1:CRASHED");
    InstanceReport crash = reports.get(reports.size() - 1);
    assertThat(crash.reason()).isEqualTo("failed health check 3 times in a row");
    assertThat(engine.inspect(id).orElseThrow().running()).isFalse(); // stopped at once
    x.delivered(List.of(crash));
    x.pass();
    x.pass();
    assertThat(engine.inspect(id).orElseThrow().running()).as("kept for a start in place, never started by itself").isFalse();
    x.assign(List.of()); // the manager placed the slot anew: unassigned here
    x.pass();
    assertThat(ours()).isEmpty();
  }

  @Test
  void neverHealthyWithinTheStartTimeoutIsACrash() {
    engine.onExec((e, id, cmd) -> new ExecResult(1, "not yet"));
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, MONITOR, 2, 8080)));
    x.pass();
    actionStarts(only());
    for (int k = 0; k < 4; k++) {
      x.pass();
      advance(Duration.ofMillis(500));
    }
    assertThat(states()).containsExactly("g1:CLAIMED");
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:CRASHED");
    assertThat(reports.get(1).reason()).isEqualTo("start timeout");
  }

  @Test
  void theActionExitingIsACrashWithItsStatusOrTheSetupFailure() {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0), lrp("g2", 1, null, 0)));
    x.pass();
    var byGuid = ours().stream().collect(Collectors.toMap(c -> c.labels().get(ContainerPlan.INSTANCE_GUID), ContainerSummary::id));
    actionStarts(byGuid.get("g1"));
    x.pass();
    engine.exit(byGuid.get("g1"), 3);
    engine.writeFile(byGuid.get("g2"), ScriptCompiler.REASON, "setup failed: exited with status 2\n".getBytes());
    engine.exit(byGuid.get("g2"), 2);
    x.pass();
    assertThat(reports).filteredOn(r -> r.state().equals("CRASHED")).extracting(r -> r.instanceGuid() + ": " + r.reason())
        .containsExactlyInAnyOrder("g1: exited with status 3", "g2: setup failed: exited with status 2");
  }

  @Test
  void aDieEventIsACrashAtOnceEvenWhileTheEngineStillListsTheContainerAsRunning() throws Exception {
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0)));
    x.pass();
    String id = only();
    actionStarts(id);
    x.pass();
    // Docker shows the container exited only after its cleanup; the die event comes first
    x.onEvent(new ContainerEvent("die", id, Map.of(ContainerPlan.INSTANCE_GUID, "g1", "exitCode", "137"), 137, 0));
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING", "g1:CRASHED");
    assertThat(reports.get(2).reason()).isEqualTo("exited with status 137");
  }

  @Test
  void theScriptsLiveInTheInstancesDirectoryBoundAtBerthWhichGoesWithTheContainer() throws Exception {
    Path stale = Files.createDirectories(dir.resolve("instances/gone-while-the-agent-was-down"));
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0)));
    x.pass();
    String id = only();
    Path g1 = dir.resolve("instances/g1");
    assertThat(g1.resolve("run.sh")).content().contains("'/bin/app' '--serve'");
    assertThat(g1.resolve("sh")).isSymbolicLink();
    assertThat(engine.file(id, "/.berth/run.sh")).isPresent(); // the container sees it at /.berth
    assertThat(engine.file(id, "/.berth/busybox").map(String::new)).contains("not really busybox"); // bound over the placeholder
    assertThat(stale).doesNotExist();

    x.assign(List.of());
    x.pass();
    assertThat(engine.inspect(id)).isEmpty();
    assertThat(g1).doesNotExist();
  }

  @Test
  void aReasonThatIsALinkOutOfTheInstancesDirectoryIsNeverRead() throws Exception {
    Path secret = Files.writeString(dir.resolve("host-secret"), "setup failed: the host's secret"); // a reason the agent would pass on
    Executor x = executor();
    x.assign(List.of(lrp("g1", 0, null, 0)));
    x.pass();
    String id = only();
    actionStarts(id);
    x.pass();
    // a process in the container replaces its reason file with a link to a file of the host
    Files.createSymbolicLink(dir.resolve("instances/g1/run/reason"), secret);
    engine.exit(id, 3);
    x.pass();
    assertThat(reports).filteredOn(r -> r.state().equals("CRASHED")).singleElement()
        .extracting(InstanceReport::reason).isEqualTo("exited with status 3");
  }

  @Test
  void aCrashedInstanceStartsAgainInItsContainerWhenTheManagerAsksAndItsOldExitIsForgotten() throws Exception {
    Executor x = executor();
    Assignment a = lrp("g1", 0, null, 0);
    String id = runningOn(x, a);
    engine.writeFile(id, ScriptCompiler.REASON, "exited with status 3\n".getBytes());
    engine.exit(id, 3);
    x.onEvent(new ContainerEvent("die", id, Map.of(ContainerPlan.INSTANCE_GUID, "g1"), 3, 0));
    x.pass();
    assertThat(reports).last().satisfies(r -> {
      assertThat(r.state()).isEqualTo("CRASHED");
      assertThat(r.run()).isZero();
    });
    x.delivered(List.of(reports.get(reports.size() - 1)));

    x.assign(List.of(a.restartedOnce()));
    x.pass();
    assertThat(only()).as("the same container").isEqualTo(id);
    assertThat(engine.inspect(id).orElseThrow().running()).isTrue();
    assertThat(dir.resolve("instances/g1/run/reason")).as("what the last run left is cleared").doesNotExist();
    assertThat(reports).last().satisfies(r -> {
      assertThat(r.state()).isEqualTo("CLAIMED");
      assertThat(r.run()).isEqualTo(1);
    });
    actionStarts(id);
    x.pass();
    x.pass();
    assertThat(reports).last().satisfies(r -> {
      assertThat(r.state()).as("healthy again, not crashed again by the old run's exit").isEqualTo("RUNNING");
      assertThat(r.run()).isEqualTo(1);
    });
  }

  @Test
  void aContainerTheEngineStillListsAsRunningAfterItsDieEventIsStartedInPlaceToo() {
    Executor x = executor();
    Assignment a = lrp("g1", 0, null, 0);
    String id = runningOn(x, a);
    // Docker shows a dead container as running until its cleanup is done; the die event comes first
    x.onEvent(new ContainerEvent("die", id, Map.of(ContainerPlan.INSTANCE_GUID, "g1"), 137, 0));
    x.pass();
    assertThat(reports).last().extracting(InstanceReport::state).isEqualTo("CRASHED");
    x.pass(); // before the manager's answer: the dead container, still listed as running, is kept
    assertThat(only()).isEqualTo(id);
    x.assign(List.of(a.restartedOnce()));
    x.pass();
    assertThat(only()).as("started again, not made anew").isEqualTo(id);
    assertThat(reports).last().extracting(InstanceReport::state).isEqualTo("CLAIMED");
  }

  /** Assigns {@code a} alone and runs it until its action began; its container's id. */
  String runningOn(Executor x, Assignment a) {
    x.assign(List.of(a));
    x.pass();
    String id = only();
    actionStarts(id);
    x.pass();
    return id;
  }
}

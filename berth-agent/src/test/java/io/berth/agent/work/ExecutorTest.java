package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.PortMapping;
import io.berth.engine.ContainerSpec;
import io.berth.engine.ContainerSummary;
import io.berth.engine.ExecResult;
import io.berth.engine.FakeEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor on the fake engine, its steps run inline and its clock in the test's hand: no sleeps. */
class ExecutorTest {
  static final String IP = "10.0.0.7";
  static final Action RUN = new Action.Run("/bin/app", List.of("--serve"), null, List.of(new Action.EnvVar("RUN_ONLY", "1")),
      null, "root", "APP");
  static final Action MONITOR = new Action.Run("/bin/check", List.of(), null, List.of(), null, "root", "HEALTH");
  @TempDir Path dir;
  final FakeEngine engine = new FakeEngine();
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final List<InstanceReport> reports = new CopyOnWriteArrayList<>();
  Executor.Config config;

  @BeforeEach
  void setUp() throws IOException {
    engine.addImage("app:1");
    Path busybox = Files.writeString(dir.resolve("busybox"), "not really busybox");
    config = new Executor.Config(IP, dir, busybox, 61000, 61010, Duration.ofMillis(500), Duration.ofSeconds(30),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(0));
  }

  Executor executor() {
    return new Executor(config, engine, reports::addAll, clock::get, Runnable::run, new HostPorts(61000, 61010, p -> true));
  }

  static Assignment lrp(String guid, int index, Action monitor, int startTimeout, Integer... ports) {
    return new Assignment(Assignment.LRP, guid, "web", index, "apps", "app:1", List.of(new Action.EnvVar("GREETING", "hi")),
        50, 1024, 128, false, null, RUN, monitor, null, startTimeout, List.of(ports), "log-web", "APP", null);
  }

  static Assignment task(String guid, String resultFile) {
    return new Assignment(Assignment.TASK, guid, "job-" + guid, 0, "tasks", "app:1", List.of(), 0, 0, 64, false, null, RUN,
        null, null, 0, List.of(), "log-job", "TASK", resultFile);
  }

  List<ContainerSummary> ours() {
    return engine.listContainers(true, Map.of()).stream().filter(c -> c.labels().containsKey(ContainerPlan.INSTANCE_GUID)).toList();
  }

  String only() {
    assertThat(ours()).hasSize(1);
    return ours().get(0).id();
  }

  void actionStarts(String id) {
    engine.writeFile(id, ScriptCompiler.STARTED, new byte[0]);
  }

  void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  /** The states reported, each repetition (the periodic resend) once. */
  List<String> states() {
    List<String> out = new java.util.ArrayList<>();
    for (InstanceReport r : reports) {
      String s = r.instanceGuid() + ":" + r.state();
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }

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
    assertThat(ours()).isEmpty(); // removed once the manager has the crash
    x.pass();
    assertThat(ours()).as("a crashed guid never runs again").isEmpty();
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
    var byGuid = ours().stream().collect(java.util.stream.Collectors.toMap(c -> c.labels().get(ContainerPlan.INSTANCE_GUID), ContainerSummary::id));
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
    x.onEvent(new io.berth.engine.ContainerEvent("die", id, Map.of(ContainerPlan.INSTANCE_GUID, "g1", "exitCode", "137"), 137, 0));
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING", "g1:CRASHED");
    assertThat(reports.get(2).reason()).isEqualTo("exited with status 137");
  }

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
  void aTaskCompletesWithItsResultFileAndItsContainerGoesOnceReported() {
    Executor x = executor();
    x.assign(List.of(task("t1", "/tmp/result.json"), task("t2", "/tmp/result.json")));
    x.pass();
    var byGuid = ours().stream().collect(java.util.stream.Collectors.toMap(c -> c.labels().get(ContainerPlan.INSTANCE_GUID), ContainerSummary::id));
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

  @Test
  void anImageNoRegistryHasIsAFinalCrashWithTheEnginesWords() {
    Executor x = executor();
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "nope:1", a.env(), 0, 0, 0, false,
        null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:CRASHED");
    assertThat(reports.get(1).reason())
        .isEqualTo("cannot pull image nope:1: pull access denied for nope, repository does not exist or may require 'docker login'");
  }

  @Test
  void anImageTheNodeLacksIsPulledBeforeTheContainerIsMade() {
    Executor x = executor();
    engine.publish("127.0.0.1:5000/app:2");
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "127.0.0.1:5000/app:2", a.env(), 0, 0, 0,
        false, null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    assertThat(engine.hasImage("127.0.0.1:5000/app:2")).isTrue();
    actionStarts(only());
    x.pass();
    assertThat(states()).containsExactly("g1:CLAIMED", "g1:RUNNING");
  }

  @Test
  void aPullCarriesTheCredentialsTheRegistryAuthGivesForThatImage() {
    Executor x = executor().registryAuth(image -> image.startsWith("127.0.0.1:5000/") ? "AUTH-FOR-" + image : null);
    engine.publish("127.0.0.1:5000/team/app:2");
    Assignment a = lrp("g1", 0, null, 0);
    x.assign(List.of(new Assignment(a.kind(), a.instanceGuid(), a.processGuid(), 0, a.domain(), "127.0.0.1:5000/team/app:2", a.env(), 0, 0,
        0, false, null, RUN, null, null, 0, List.of(), null, null, null)));
    x.pass();
    assertThat(engine.pullAuths()).containsExactly("127.0.0.1:5000/team/app:2 AUTH-FOR-127.0.0.1:5000/team/app:2");
  }
}

package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.Action;
import io.berth.engine.ContainerSummary;
import io.berth.engine.FakeEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor on the fake engine, its steps run inline and its clock in the test's hand: no sleeps.
 * The tests by topic extend it: {@link ExecutorTest} (an instance from claim to crash), {@link ExecutorRecoveryTest},
 * {@link ExecutorTaskTest} and {@link ExecutorImageTest}.
 */
abstract class ExecutorFixture {
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
    List<String> out = new ArrayList<>();
    for (InstanceReport r : reports) {
      String s = r.instanceGuid() + ":" + r.state();
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }
}

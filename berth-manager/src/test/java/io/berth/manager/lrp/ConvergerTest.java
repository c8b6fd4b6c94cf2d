package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.Json;
import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.Keys;
import io.berth.core.error.BerthException;
import io.berth.core.id.Domain;
import io.berth.core.id.InstanceGuid;
import io.berth.core.id.NodeName;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.ActualState;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.PortMapping;
import io.berth.core.lrp.RestartPolicy;
import io.berth.core.lrp.Task;
import io.berth.core.lrp.TaskState;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Convergence over a real (SQLite) store, scenario by scenario, one pass at a time. */
class ConvergerTest {
  @TempDir Path dir;
  StateStore raw;
  LrpStore store;
  LrpService service;
  Converger converger;
  final List<NodeView> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    raw = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    store = new LrpStore(raw);
    service = new LrpService(store, Clock.systemUTC(), RestartPolicy.DIEGO,
        n -> n.matches("n[1-3]") ? "127.0.0.1" + n.substring(1) : "");
    Scheduler scheduler = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));
    converger = new Converger(store, service, new Placer(scheduler, () -> List.copyOf(nodes)), Duration.ofSeconds(5), RestartPolicy.DIEGO,
        this::assignedGuids);
    node("n1");
    node("n2");
  }

  @AfterEach
  void stop() {
    converger.close();
    raw.close();
  }

  /** Every assigned instance guid, read from the store (the manager keeps them by a watch instead). */
  Set<InstanceGuid> assignedGuids() {
    Set<InstanceGuid> out = new HashSet<>();
    for (var kv : raw.range(Keys.ASSIGN, 0).items()) out.add(InstanceGuid.of(kv.key().substring(kv.key().lastIndexOf('/') + 1)));
    return out;
  }

  void node(String name) {
    nodes.add(new NodeView(name, name, true, Map.of(), 2, 2L << 30, List.of(), Set.of("berth/busybox:1")));
    raw.put(Keys.health(name), new byte[0]);
  }

  void lose(String name) {
    nodes.removeIf(n -> n.name().equals(name));
    raw.delete(Keys.health(name));
  }

  static ProcessGuid pg(String raw) {
    return new ProcessGuid(raw);
  }

  static TaskGuid tg(String raw) {
    return new TaskGuid(raw);
  }

  static DesiredLrp lrp(String guid, int instances) {
    return new DesiredLrp(pg(guid), new Domain("apps"), "docker:///berth/busybox#1", instances, List.of(), 0, 0, 64, false, null,
        new Action.Run("/bin/sleep", List.of("600"), null, null, null, "root", null), null, null, 0, List.of(8080), Map.of(),
        null, null, null, null, List.of(), null);
  }

  List<Assignment> assignments(String node) {
    return assignments(NodeName.of(node));
  }

  List<Assignment> assignments(NodeName node) {
    return store.assignments(node).items().stream().map(kv -> Json.read(kv.value(), Assignment.class)).toList();
  }

  Map<ActualState, Long> states(String guid) {
    return service.actuals(pg(guid)).stream().collect(Collectors.groupingBy(ActualLrp::state, Collectors.counting()));
  }

  void reportRunning(String guid) {
    for (ActualLrp a : service.actuals(pg(guid))) {
      if (a.state() == ActualState.CLAIMED) {
        service.report(a.cellId(), List.of(new InstanceReport(Assignment.LRP, a.instanceGuid().value(), guid, a.index(), InstanceReport.RUNNING,
            List.of(new PortMapping(8080, 61000 + a.index())), "", false, "")));
      }
    }
  }

  @Test
  void desiredInstancesAreClaimedSpreadAndRunningOnceTheirNodesSaySo() {
    service.desire(lrp("web", 4));
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.CLAIMED, 4L);
    assertThat(assignments("n1")).hasSize(2);
    assertThat(assignments("n2")).hasSize(2);
    Assignment a = assignments("n1").get(0);
    assertThat(a.image()).isEqualTo("berth/busybox:1");
    assertThat(a.ports()).containsExactly(8080);
    reportRunning("web");
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 4L);
    ActualLrp zero = service.actual(pg("web"), 0);
    assertThat(zero.address()).isEqualTo("127.0.0.1" + zero.cellId().value().substring(1));
    assertThat(zero.ports()).containsExactly(new PortMapping(8080, 61000));
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 4L).hasSize(1);
  }

  @Test
  void theInstancesOfALostNodeArePlacedOnTheOthers() {
    service.desire(lrp("web", 4));
    converger.pass();
    reportRunning("web");
    lose("n2");
    converger.pass();
    assertThat(states("web")).containsEntry(ActualState.RUNNING, 2L).containsEntry(ActualState.CLAIMED, 2L);
    assertThat(service.actuals(pg("web"))).allMatch(a -> a.cellId().equals(NodeName.of("n1")));
    assertThat(assignments("n1")).hasSize(4);
    assertThat(assignments("n2")).as("the lost node's work is taken back").isEmpty();
  }

  @Test
  void aCrashRestartsAtOnceWithANewInstanceAndAStaleReportStopsTheOldOne() {
    service.desire(lrp("web", 1));
    converger.pass();
    reportRunning("web");
    ActualLrp before = service.actual(pg("web"), 0);
    service.report(before.cellId(), List.of(new InstanceReport(Assignment.LRP, before.instanceGuid().value(), "web", 0, InstanceReport.CRASHED,
        List.of(), "exited with status 137", false, "")));
    ActualLrp crashed = service.actual(pg("web"), 0);
    assertThat(crashed.state()).isEqualTo(ActualState.CRASHED);
    assertThat(crashed.crashCount()).isEqualTo(1);
    assertThat(crashed.crashReason()).isEqualTo("exited with status 137");
    converger.pass();
    ActualLrp again = service.actual(pg("web"), 0);
    assertThat(again.state()).isEqualTo(ActualState.CLAIMED);
    assertThat(again.instanceGuid()).isNotEqualTo(before.instanceGuid());
    assertThat(again.crashCount()).isEqualTo(1);
    // The old instance reporting late changes nothing.
    service.report(before.cellId(), List.of(new InstanceReport(Assignment.LRP, before.instanceGuid().value(), "web", 0, InstanceReport.RUNNING,
        List.of(), "", false, "")));
    assertThat(service.actual(pg("web"), 0).instanceGuid()).isEqualTo(again.instanceGuid());
  }

  @Test
  void scalingDownStopsExtrasAtOnceAndRemovingStopsAll() {
    service.desire(lrp("web", 3));
    converger.pass();
    service.update(pg("web"), new DesiredLrpUpdate(1, null, "v2"));
    assertThat(service.actuals(pg("web"))).extracting(ActualLrp::index).containsExactly(0);
    assertThat(service.desired(pg("web")).annotation()).isEqualTo("v2");
    assertThat(service.desired(pg("web")).modificationTag().index()).isEqualTo(1);
    assertThat(assignments("n1").size() + assignments("n2").size()).isEqualTo(1);
    service.remove(pg("web"));
    assertThat(service.actuals(pg("web"))).isEmpty();
    assertThat(assignments("n1").size() + assignments("n2").size()).isZero();
    assertThatThrownBy(() -> service.desired(pg("web"))).isInstanceOf(BerthException.NotFound.class).hasMessageContaining("web");
  }

  @Test
  void extrasWithoutADesireAreStoppedOnlyOnceTheirDomainIsFresh() {
    service.desire(lrp("web", 2));
    converger.pass();
    raw.delete(Keys.desired("web")); // as if the desired state were lost
    converger.pass();
    assertThat(service.actuals(pg("web"))).hasSize(2);
    service.fresh("apps", Duration.ofSeconds(30));
    converger.pass();
    assertThat(service.actuals(pg("web"))).isEmpty();
    assertThat(service.domains()).containsExactly(new Domain("apps"));
  }

  @Test
  void whatNoNodeCanHoldSaysWhy() {
    DesiredLrp big = lrp("big", 1);
    big = new DesiredLrp(pg("big"), new Domain("apps"), big.rootfs(), 1, List.of(), 0, 0, 64 * 1024, false, null, big.action(), null, null, 0,
        List.of(), Map.of(), null, null, null, null, List.of(), null);
    service.desire(big);
    converger.pass();
    ActualLrp a = service.actual(pg("big"), 0);
    assertThat(a.state()).isEqualTo(ActualState.UNCLAIMED);
    assertThat(a.placementError()).contains("memory");
  }

  @Test
  void aDrainedNodesInstancesMoveAndTheOldOnesStopOnlyOnceTheNewOnesRun() {
    service.desire(lrp("web", 2));
    converger.pass();
    reportRunning("web");
    String drained = service.actual(pg("web"), 0).cellId().value();
    String other = drained.equals("n1") ? "n2" : "n1";
    ActualLrp old = service.actual(pg("web"), 0);
    assertThat(service.draining(drained)).isFalse();
    service.drain(drained, true);
    assertThat(service.draining(drained)).isTrue();
    assertThat(service.draining(other)).isFalse();
    converger.pass();
    ActualLrp moved = service.actual(pg("web"), 0);
    assertThat(moved.state()).isEqualTo(ActualState.CLAIMED);
    assertThat(moved.cellId().value()).isEqualTo(other);
    assertThat(assignments(drained)).as("the old instance keeps running").extracting(Assignment::instanceGuid).contains(old.instanceGuid().value());
    converger.pass();
    assertThat(assignments(drained)).extracting(Assignment::instanceGuid).contains(old.instanceGuid().value());
    reportRunning("web");
    assertThat(assignments(drained)).as("stopped once its replacement runs").isEmpty();
    assertThat(service.actuals(pg("web"))).allMatch(a -> a.cellId().value().equals(other) && a.state() == ActualState.RUNNING);
    service.desire(lrp("more", 1));
    converger.pass();
    assertThat(service.actual(pg("more"), 0).cellId().value()).as("nothing new lands on a draining node").isEqualTo(other);
    assertThatThrownBy(() -> service.drain("n9", true)).isInstanceOf(BerthException.NotFound.class);
    assertThatThrownBy(() -> service.draining("n9")).isInstanceOf(BerthException.NotFound.class);
  }

  static Task task(String guid) {
    return new Task(tg(guid), new Domain("jobs"), "docker:///berth/busybox#1", List.of(), 0, 0, 32, false,
        new Action.Run("/bin/sh", List.of("-c", "echo 42 > /tmp/out"), null, null, null, "root", null), "/tmp/out", null,
        null, null, null, null, List.of(), null, null, false, null, null, 0);
  }

  @Test
  void aTaskRunsOnceCompletesAndIsResolved() {
    service.createTask(task("job1"));
    assertThatThrownBy(() -> service.createTask(task("job1"))).isInstanceOf(BerthException.Conflict.class);
    converger.pass();
    Task claimed = service.task(tg("job1"));
    assertThat(claimed.state()).isEqualTo(TaskState.CLAIMED);
    assertThat(assignments(claimed.cellId())).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Assignment.TASK);
      assertThat(a.resultFile()).isEqualTo("/tmp/out");
    });
    assertThatThrownBy(() -> service.resolve(tg("job1"))).isInstanceOf(BerthException.Conflict.class).hasMessageContaining("CLAIMED");
    service.report(claimed.cellId(), List.of(new InstanceReport(Assignment.TASK, "job1", "job1", 0, InstanceReport.COMPLETED, List.of(),
        "", false, "42\n")));
    Task done = service.task(tg("job1"));
    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.result()).isEqualTo("42\n");
    assertThat(assignments(claimed.cellId())).isEmpty();
    converger.pass();
    assertThat(assignments("n1").size() + assignments("n2").size()).as("never run twice").isZero();
    service.resolve(tg("job1"));
    assertThatThrownBy(() -> service.task(tg("job1"))).isInstanceOf(BerthException.NotFound.class);
  }

  @Test
  void aCompletedTaskIsPostedToItsCallbackAndThenDeleted() throws Exception {
    java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    int[] status = {503};
    server.createContext("/done", ex -> {
      got.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      ex.sendResponseHeaders(status[0], -1);
      ex.close();
    });
    server.start();
    try {
      Task t = task("job4");
      t = new Task(t.taskGuid(), t.domain(), t.rootfs(), t.env(), 0, 0, 32, false, t.action(), t.resultFile(),
          "http://127.0.0.1:" + server.getAddress().getPort() + "/done", null, null, null, null, List.of(), null, null, false, null, null, 0);
      service.createTask(t);
      converger.pass();
      NodeName cell = service.task(tg("job4")).cellId();
      service.report(cell, List.of(new InstanceReport(Assignment.TASK, "job4", "job4", 0, InstanceReport.COMPLETED, List.of(), "", false, "42")));
      converger.pass();
      String first = got.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first).contains("\"task_guid\":\"job4\"", "\"state\":\"COMPLETED\"", "\"result\":\"42\"");
      Thread.sleep(200);
      assertThat(service.task(tg("job4")).state()).as("a refused callback is tried again").isEqualTo(TaskState.COMPLETED);
      status[0] = 200;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
        converger.pass();
        return service.tasks(java.util.Optional.empty()).isEmpty();
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTaskWhoseNodeIsLostFailsAndIsNotRunAgain() {
    service.createTask(task("job2"));
    converger.pass();
    String cell = service.task(tg("job2")).cellId().value();
    lose(cell);
    converger.pass();
    Task t = service.task(tg("job2"));
    assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(t.failed()).isTrue();
    assertThat(t.failureReason()).contains("was lost");
    converger.pass();
    assertThat(assignments("n1").size() + assignments("n2").size()).isZero();
  }

  @Test
  void aCancelledTaskCompletesFailedAndItsContainerIsStopped() {
    service.createTask(task("job3"));
    converger.pass();
    NodeName cell = service.task(tg("job3")).cellId();
    service.cancel(tg("job3"));
    assertThat(service.task(tg("job3")).failureReason()).isEqualTo("task was cancelled");
    assertThat(assignments(cell)).isEmpty();
    assertThatThrownBy(() -> service.cancel(tg("job3"))).isInstanceOf(BerthException.Conflict.class);
  }
}

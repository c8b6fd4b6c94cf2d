package io.berth.manager.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.cluster.Json;
import io.berth.cluster.loop.FakeLoopTime;
import io.berth.cluster.wire.BuildJob;
import io.berth.cluster.wire.BuildReport;
import io.berth.cluster.wire.BuildReport.Event;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.TestStore;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
import io.berth.store.KeyValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The placer's passes and the nodes' reports on a real store, with the clock moved by hand. */
class BuildPlacerTest {
  @RegisterExtension
  final TestStore stores = new TestStore();
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private final List<String> deployed = new ArrayList<>();
  private BuildStore store;
  private BuildRuns runs;
  private BuildReports reports;
  private Build build;

  @BeforeEach
  void setUp() {
    store = new BuildStore(stores.get());
    runs = new BuildRuns(store, clock, () -> {});
    reports = new BuildReports(store, clock, (app, image, user) -> {
      deployed.add(app + " " + image + " " + user);
      return "canary deploy of " + app + " v2";
    }, new Activity(stores.get(), clock));
    build = BuildRequests.create(new BuildRequests.Body("team/app", "https://git.example.com/team/app.git", null, null, null, null,
        List.of("m2"), "web", "30m"), "ann", T0);
    store.create(build);
  }

  /** One pass of the leader's placer at {@code now}. */
  private void pass(Instant now) {
    new BuildPlacer(store, Singletons.always(stores.get()), () -> nodes, (b, r) -> Builds.job(b, r, Optional.of("127.0.0.1:5000")),
        new Activity(stores.get(), clock), Clock.fixed(now, ZoneOffset.UTC), new FakeLoopTime()).pass();
  }

  private void node(String name, NodeState state, String slots) {
    nodes.removeIf(n -> n.name().value().equals(name));
    nodes.add(new Node(NodeName.of(name), name + "-id", "127.0.0.1:2375", state, null,
        Map.of("berth.build", "true", "berth.build.slots", slots), T0, T0));
  }

  private Run run(int n) {
    return store.requireRun("team/app", n);
  }

  private List<BuildJob> jobs(String node) {
    List<BuildJob> out = new ArrayList<>();
    for (KeyValue kv : store.jobs()) if (kv.key().startsWith(BuildStore.JOBS + node + "/")) out.add(Json.read(kv.value(), BuildJob.class));
    return out;
  }

  @Test
  void runsStartUpToTheSlotsAndTheRestQueueWithTheirPlace() {
    node("n1", NodeState.READY, "1");
    for (int i = 0; i < 3; i++) runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    assertThat(run(1).state()).isEqualTo("running");
    assertThat(run(1).node()).isEqualTo("n1");
    assertThat(run(2).place()).isEqualTo(1);
    assertThat(run(3).place()).isEqualTo(2);
    BuildJob job = jobs("n1").getFirst();
    assertThat(job.id()).isEqualTo("team/app#1");
    assertThat(job.image()).isEqualTo("127.0.0.1:5000/team/app");
    assertThat(job.ref()).isEqualTo("main");
    assertThat(job.caches()).containsExactly("m2");
    assertThat(job.timeoutSeconds()).isEqualTo(1800);

    runs.cancel("team/app", 1, "ann");
    assertThat(jobs("n1")).isEmpty(); // the agent sees its job leave the list: cancel
    pass(T0);
    assertThat(run(2).state()).isEqualTo("running");
    assertThat(run(3).place()).isEqualTo(1);
    assertThat(jobs("n1")).extracting(BuildJob::run).containsExactly(2);
  }

  @Test
  void aLostNodeFailsItsRunWithTheStepAndARunAgainGoesToTheNextNode() {
    node("n1", NodeState.READY, "2");
    node("n2", NodeState.READY, "2");
    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    String first = run(1).node();
    reports.accept(first, new BuildReport("team/app", 1, 0, List.of(new Event(T0.toEpochMilli(), "clone", Event.START, null, null, null),
        new Event(T0.toEpochMilli() + 500, "clone", Event.END, null, "ok", 500L),
        new Event(T0.toEpochMilli() + 600, "image", Event.START, null, null, null)), null));
    node(first, NodeState.DOWN, "2");
    pass(T0.plusSeconds(5));
    assertThat(run(1).state()).isEqualTo("failed");
    assertThat(run(1).message()).isEqualTo("build node " + first + " was lost during step image");
    assertThat(run(1).failedStep()).isEqualTo("image");
    assertThat(jobs(first)).isEmpty();
    assertThat(new Activity(stores.get(), clock).recent(10)).extracting(e -> e.type() + " " + e.message())
        .contains("build-run-failed build team/app run 1 failed at image: build node " + first + " was lost during step image");

    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    assertThat(run(2).node()).isNotEqualTo(first).isNotNull();
  }

  @Test
  void aRunOutOfTimeFails() {
    node("n1", NodeState.READY, "2");
    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    pass(T0.plus(Duration.ofMinutes(31)));
    assertThat(run(1).state()).isEqualTo("failed");
    assertThat(run(1).message()).isEqualTo("timed out after 30m before its first step");
  }

  @Test
  void reportsMakeTheTimedLogAndAnOkRunDeploysItsImage() throws Exception {
    node("n1", NodeState.READY, "2");
    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    long t = T0.toEpochMilli();
    BuildReport first = new BuildReport("team/app", 1, 0, List.of(new Event(t, "clone", Event.START, null, null, null),
        new Event(t + 1, "clone", Event.LOG, "Cloning into 'app'...", null, null), new Event(t + 1200, "clone", Event.END, null, "ok", 1200L)),
        null);
    reports.accept("n1", first);
    reports.accept("n1", first); // sent again after a lost answer: taken once
    reports.accept("n1", new BuildReport("team/app", 1, 1, List.of(), new BuildReport.Result("ok", null, null, "da15608",
        "127.0.0.1:5000/team/app:da15608")));
    Run r = run(1);
    assertThat(r.state()).isEqualTo("ok");
    assertThat(r.image()).isEqualTo("127.0.0.1:5000/team/app:da15608");
    assertThat(r.steps()).extracting(Run.Step::name).containsExactly("clone", "deploy");
    assertThat(r.steps().getFirst().millis()).isEqualTo(1200L);
    assertThat(deployed).containsExactly("web 127.0.0.1:5000/team/app:da15608 ann");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LogFollow(store, "team/app", 1).write(out);
    assertThat(out.toString()).isEqualTo("""
        ==> clone
        Cloning into 'app'...
        <== clone ok in 1.2s
        ==> deploy
        canary deploy of web v2
        <== deploy ok in 0.0s
        run 1 ok, image 127.0.0.1:5000/team/app:da15608
        """);
    pass(T0);
    assertThat(jobs("n1")).isEmpty();
    assertThat(stores.get().range(BuildStore.ACTIVE, 0).items()).as("an ended run leaves the placer's index").isEmpty();

    stores.get().put(BuildStore.activeKey("team/app", 1), new byte[0]); // left by a manager stopped mid-way
    pass(T0);
    assertThat(stores.get().range(BuildStore.ACTIVE, 0).items()).isEmpty();
  }

  @Test
  void theLogIsCappedInBytesWithOneLineSayingSo() {
    String wide = "é".repeat(100); // two bytes each
    assertThat(BuildReports.keep(wide, 500, false)).isEqualTo(wide);
    String capped = BuildReports.keep(wide, 120, false);
    assertThat(capped).endsWith("[log capped at 2 MiB: later lines are not kept]\n");
    assertThat(capped.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(120 + 3);
    assertThat(BuildReports.keep(wide, 0, true)).isEmpty();
  }

  @Test
  void aReportForARunNoLongerOnThatNodeIsRefused() {
    node("n1", NodeState.READY, "2");
    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    runs.cancel("team/app", 1, "ann");
    assertThatThrownBy(() -> reports.accept("n1", new BuildReport("team/app", 1, 0, List.of(), null)))
        .hasMessageContaining("is cancelled");
  }

  @Test
  void anAgentRestartedMidRunEndsTheRunWithItsSecondTrysResultThoughItsSeqWasTaken() {
    node("n1", NodeState.READY, "2");
    runs.start(build, "ann", new BuildRuns.Request(null, null, null), "manual");
    pass(T0);
    long t = T0.toEpochMilli();
    reports.accept("n1", new BuildReport("team/app", 1, 0, List.of(new Event(t, "clone", Event.START, null, null, null)), null));
    reports.accept("n1", new BuildReport("team/app", 1, 1, List.of(new Event(t + 5, "clone", Event.LOG, "first try", null, null)), null));
    // the agent restarts: the job is still listed, so it runs again and numbers its batches from 0
    reports.accept("n1", new BuildReport("team/app", 1, 0, List.of(new Event(t + 9, "clone", Event.START, null, null, null)), null));
    reports.accept("n1", new BuildReport("team/app", 1, 1, List.of(), new BuildReport.Result("failed", "clone",
        "fatal: couldn't find remote ref nope", null, null)));
    Run r = run(1);
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.failedStep()).isEqualTo("clone");
    assertThat(r.message()).contains("couldn't find remote ref nope");
  }
}

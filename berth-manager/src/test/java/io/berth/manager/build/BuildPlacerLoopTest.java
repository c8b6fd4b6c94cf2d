package io.berth.manager.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.loop.FakeLoopTime;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.TestStore;
import io.berth.manager.activity.Activity;
import io.berth.manager.leader.Singletons;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The placer as a loop on a fake clock: it passes only while its manager leads, and a lost node is judged within one period. */
class BuildPlacerLoopTest {
  @RegisterExtension
  final TestStore stores = new TestStore();
  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void placesOnlyWhileLeadingAndFailsARunOnALostNodeWithinAPeriod() {
    BuildStore store = new BuildStore(stores.get());
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    Build b = BuildRequests.create(new BuildRequests.Body("app", "https://h/app.git", null, null, null, null, null, null, null), "ann", T0);
    store.create(b);
    List<Node> nodes = new CopyOnWriteArrayList<>(List.of(node(NodeState.READY)));
    AtomicBoolean leads = new AtomicBoolean(false);
    FakeLoopTime time = new FakeLoopTime();
    try (BuildPlacer placer = new BuildPlacer(store, new Singletons(leads::get, stores.get()), () -> nodes,
        (x, r) -> Builds.job(x, r, Optional.empty()), new Activity(stores.get(), clock), clock, time)) {
      placer.start();
      new BuildRuns(store, clock, placer::signal).start(b, "ann", new BuildRuns.Request(null, null, null), "manual");
      time.untilParkedFor(BuildPlacer.PERIOD);
      assertThat(store.requireRun("app", 1).state()).isEqualTo("queued"); // not the leader: no pass

      leads.set(true);
      time.advance(BuildPlacer.PERIOD);
      time.untilParkedFor(BuildPlacer.PERIOD);
      assertThat(store.requireRun("app", 1).state()).isEqualTo("running");
      assertThat(store.jobs()).hasSize(1);

      nodes.set(0, node(NodeState.DOWN));
      time.advance(BuildPlacer.PERIOD);
      time.untilParkedFor(BuildPlacer.PERIOD);
      assertThat(store.requireRun("app", 1).message()).isEqualTo("build node n1 was lost before its first step");
      assertThat(store.jobs()).isEmpty();
    }
  }

  private static Node node(NodeState state) {
    return new Node(NodeName.of("n1"), "n1-id", "127.0.0.1:2375", state, null, Map.of("berth.build", "true"), T0, T0);
  }
}

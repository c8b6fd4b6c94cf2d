package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.Registration;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.core.scheduler.NodeView;
import io.berth.engine.ContainerSpec;
import io.berth.engine.FakeDockerServer;
import io.berth.engine.FakeEngine;
import io.berth.manager.activity.Activity;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet on its own, with no Docker endpoint: what LRP placement sees of a hollow engine. */
class FleetTest {
  static final EngineFacts FACTS = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);
  @TempDir Path dir;
  StateStore store;
  NodeRegistry nodes;
  FakeDockerServer.Listener server;
  FakeEngine engine;
  Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    nodes.start();
    engine = FakeEngine.builder().name("node16").build();
    engine.addImage("berth/busybox:1");
    server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), engine);
    nodes.register(NodeName.of("node16"), "node16-id", new Registration("127.0.0.1:" + server.port(), FACTS, Map.of()), NodeAccess.ENGINE);
    fleet = Fleet.start(nodes, null, null);
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    server.close();
    nodes.close();
    store.close();
  }

  @Test
  void nodeViewsCarryTheEnginesContainersAndImagesWithoutTheDockerEndpoint() {
    String id = engine.create(new ContainerSpec("web", "berth/busybox:1", List.of("sleep", "9"), List.of(),
        Map.of("io.berth.reserved.memory", "1048576"), 0, 0, Map.of(), ""));
    engine.start(id);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<NodeView> views = fleet.nodeViews();
      assertThat(views).extracting(v -> v.name().value()).containsExactly("node16");
      assertThat(views.get(0).images()).contains("berth/busybox:1");
      assertThat(views.get(0).containers()).extracting(NodeView.ContainerView::id).containsExactly(id);
    });
  }

  @Test
  void imagesChangingThroughTheManagerAreSeenByTheSchedulerAtOnce() {
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.view().cache().containers(node()).isPresent());
    engine.addImage("made/outside:1"); // no event: the cache alone does not see it
    assertThat(fleet.nodeViews().get(0).images()).contains("berth/busybox:1").doesNotContain("made/outside:1");

    Runnable changed = fleet.view().cache().imagesChanging(node());
    engine.addImage("made/committed:1");
    assertThat(fleet.nodeViews().get(0).images()).as("read from the node while the change runs").contains("made/committed:1");
    changed.run();
    changed.run(); // once only
    assertThat(fleet.nodeViews().get(0).images()).as("and kept in the cache after").contains("made/committed:1", "made/outside:1");
    engine.addImage("made/later:1");
    assertThat(fleet.nodeViews().get(0).images()).as("the cache is read again once the change ended").doesNotContain("made/later:1");
  }

  private Node node() {
    return nodes.list().get(0);
  }
}

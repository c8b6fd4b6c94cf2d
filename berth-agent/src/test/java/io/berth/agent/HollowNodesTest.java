package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hollow nodes against a real manager: they join, register, and beat on one held connection each. */
class HollowNodesTest {
  @TempDir Path dir;
  StateStore store;
  Manager manager;

  @BeforeEach
  void start() {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    // a heartbeat every 200 ms, so a test sees many beats
    manager = Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager"), "sqlite://", Duration.ofSeconds(5), Duration.ofMillis(200),
        Strategy.SPREAD, Scheduler.FILTERS, null, null), store, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    manager.close();
    store.close();
  }

  @Test
  void threeNodesBeatManyTimesOnThreeConnections() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // each node listens on its own 127.x address at this port
    }
    var options = new HollowNodes.Options("127.0.0.1:" + manager.clusterPort(), manager.secrets().joinToken().toString(), 3, "hollow",
        1, 2, 1L << 30, 1, port);
    try (HollowNodes nodes = HollowNodes.start(options, line -> {})) {
      await().atMost(Duration.ofMinutes(2)).until(() -> nodes.registered() == 3 && nodes.beats() >= 30);
      assertThat(manager.nodes().list()).hasSize(3);
      // one connection per node for all its beats; a connection per beat would have opened 30 or more
      assertThat(nodes.connectionsOpened()).isEqualTo(3);
    }
  }
}

package io.berth.manager.docker;

import io.berth.core.id.NodeName;
import io.berth.cluster.wire.Registration;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.NodeAccess;
import io.berth.engine.FakeDockerServer;
import io.berth.engine.FakeEngine;
import io.berth.manager.activity.Activity;
import io.berth.manager.node.NodeRegistry;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The Docker endpoint tests' cluster: a SQLite store and one node, {@code node16} of 2 CPUs and 2 GiB, a hollow engine holding busybox. */
final class OneNode implements AutoCloseable {
  static final EngineFacts FACTS = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30);
  final StateStore store;
  final NodeRegistry nodes;
  final FakeEngine engine;
  private final FakeDockerServer.Listener server;

  OneNode(Path dir) throws IOException {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    nodes = new NodeRegistry(store, new Activity(store, Clock.systemUTC()), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(1));
    nodes.start();
    engine = FakeEngine.builder().name("node16").build();
    engine.addImage("berth/busybox:1");
    server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), engine);
    nodes.register(NodeName.of("node16"), "node16-id", new Registration("127.0.0.1:" + server.port(), FACTS, Map.of()), NodeAccess.ENGINE);
  }

  @Override
  public void close() throws Exception {
    server.close();
    nodes.close();
    store.close();
  }
}

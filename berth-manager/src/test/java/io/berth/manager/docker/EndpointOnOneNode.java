package io.berth.manager.docker;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.fleet.Fleet;
import io.berth.manager.fleet.TestAccess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests of {@link OneNode} behind a Docker endpoint on a loopback port; a request without credentials is the local administrator. */
abstract class EndpointOnOneNode {
  @TempDir Path dir;
  OneNode cluster;
  Fleet fleet;
  DockerEndpoint endpoint;

  @BeforeEach
  void startEndpoint() throws Exception {
    cluster = new OneNode(dir);
    fleet = Fleet.start(cluster.nodes, null, null);
    DockerRoutes routes = new DockerRoutes(fleet, null, new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1)), "test", new TestAccess());
    endpoint = DockerEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, null, false);
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    endpoint.close();
    fleet.close();
    cluster.close();
  }
}

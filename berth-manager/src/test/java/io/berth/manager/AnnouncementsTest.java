package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.LocalRoute;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.leader.ManagerRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {
  private static final Instant SINCE = Instant.parse("2026-12-06T20:00:00Z");

  private static ManagerConfig bound(String api, String cluster, String docker) {
    return new ManagerConfig(new InetSocketAddress(api, 8080), new InetSocketAddress(cluster, 2377), new InetSocketAddress(docker, 2375),
        Path.of("/tmp/x"), "sqlite:///x/berth.db", Duration.ofSeconds(2), Duration.ofMillis(500), Strategy.SPREAD, Scheduler.FILTERS,
        null, null);
  }

  @Test
  void aManagerBoundToEveryAddressAnnouncesItsDefaultRoutesAddress() throws Exception {
    ManagerRecord r = Announcements.record(bound("0.0.0.0", "0.0.0.0", "127.0.0.1"), SINCE, 8080, 2377, 2375,
        Optional.of(InetAddress.getByName("10.0.0.7")));

    assertThat(r.api()).isEqualTo("http://10.0.0.7:8080");
    assertThat(r.cluster()).isEqualTo("10.0.0.7:2377");
    assertThat(r.docker()).isEqualTo("127.0.0.1:2375");
  }

  @Test
  void withoutADefaultRouteItAnnouncesItsHostName() {
    ManagerRecord r = Announcements.record(bound("0.0.0.0", "0.0.0.0", "0.0.0.0"), SINCE, 8080, 2377, 2375, Optional.empty());

    assertThat(r.cluster()).isEqualTo(Announcements.hostName() + ":2377");
    assertThat(r.docker()).isEqualTo(Announcements.hostName() + ":2375");
  }

  @Test
  void aBoundAddressIsAnnouncedAsItIsWhateverTheRoute() throws Exception {
    ManagerRecord r = Announcements.record(bound("127.0.0.1", "::1", "127.0.0.1"), SINCE, 8080, 2377, -1,
        Optional.of(InetAddress.getByName("10.0.0.7")));

    assertThat(r.api()).isEqualTo("http://127.0.0.1:8080");
    assertThat(r.cluster()).isEqualTo("[0:0:0:0:0:0:0:1]:2377");
    assertThat(r.docker()).isNull();
  }

  @Test
  void theRouteToAnAddressLeavesFromTheInterfaceThatReachesIt() {
    assertThat(LocalRoute.to(InetAddress.getLoopbackAddress(), 9)).contains(InetAddress.getLoopbackAddress());
    assertThat(LocalRoute.defaultRoute().filter(InetAddress::isAnyLocalAddress)).isEmpty();
  }
}

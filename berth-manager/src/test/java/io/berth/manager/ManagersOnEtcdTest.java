package io.berth.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.leader.ManagerRecord;
import io.berth.manager.leader.OneEtcd;
import io.berth.store.StateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Whole managers on one real etcd: one leads, both list each other, a second of one name is refused. */
class ManagersOnEtcdTest {
  static final Duration TTL = Duration.ofSeconds(2);
  @RegisterExtension static final OneEtcd etcd = new OneEtcd();
  @TempDir Path dir;

  @BeforeAll
  static void cheapPasswords() {
    System.setProperty("berth.bcrypt.cost", "4");
  }

  Manager start(String name) {
    StateStore store = etcd.store();
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    ManagerConfig config = new ManagerConfig(any, any, null, dir.resolve(name), etcd.url(), Duration.ofSeconds(4), Duration.ofSeconds(1),
        Strategy.SPREAD, Scheduler.FILTERS, null, null).withLeadership(name, TTL);
    return etcd.closeAfter(Manager.start(config, store, Clock.systemUTC()));
  }

  @Test
  void oneOfTwoManagersLeadsAndBothListEachOther() throws Exception {
    Manager a = start("m1");
    Manager b = start("m2");
    assertThat(a.leadership().isLeader()).isTrue();
    assertThat(b.leadership().isLeader()).isFalse();
    assertThat(b.managers()).extracting(ManagerRecord::name).containsExactly("m1", "m2");
    assertThat(b.managers().get(1).api()).isEqualTo("http://" + b.config().apiAddr().getAddress().getHostAddress() + ":" + b.apiPort());
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.apiPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(2)).until(() -> b.leadership().leader().orElse("").equals("m1"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("ok\nleader: ");

    etcd.closed(a);
    a.close(); // steps down first: m2 leads at once, and m1's record is gone
    await().atMost(Duration.ofSeconds(1)).until(() -> b.leadership().isLeader());
    assertThat(b.managers()).extracting(ManagerRecord::name).containsExactly("m2");
  }

  @Test
  void aSecondManagerOfOneNameIsRefusedBeforeItServes() {
    start("m1");
    assertThatThrownBy(() -> start("m1")).hasMessageStartingWith("another manager named 'm1' is running (API http://");
  }
}

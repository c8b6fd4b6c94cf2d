package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.RouteTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A router on the real nginx given one of two fake managers over one store: the first dies. */
class RouterFailoverTest {
  @TempDir Path dir;
  /** Closed after each test in this order: the router, the managers, the backends. */
  final List<AutoCloseable> parts = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable p : parts.reversed()) p.close();
  }

  private <T extends AutoCloseable> T keep(T part) {
    parts.add(part);
    return part;
  }

  private static String url(FakeManager m) {
    return "http://127.0.0.1:" + m.port();
  }

  @Test
  void aRouterMovesToTheManagerItLearntKeepsServingItsConfigAndResumesFromItsRevision() {
    Backend a = keep(new Backend("A"));
    Backend b = keep(new Backend("B"));
    RouteTable five = table(5, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")));
    FakeManager second = keep(new FakeManager(0, five));
    FakeManager first = keep(new FakeManager(0, five.withManagers(List.of(url(second)))));
    Router router = keep(Router.start(new RouterConfig(url(first), FakeManager.TOKEN, "default", "127.0.0.1", 0, dir, RouterConfig.DEFAULT_NGINX,
        "test-router", 0, "1", Duration.ofMillis(300), Duration.ofSeconds(30)), Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.latest() != null && first.latest().appliedRevision() == 5);

    long t0 = System.nanoTime();
    first.close();
    await().atMost(Duration.ofSeconds(2)).until(() -> second.polls.contains("group=default&after=5&wait=30s&managers=true"));
    System.out.println("router-move-time ms=" + (System.nanoTime() - t0) / 1_000_000);
    assertThat(Http.get(router.listenPort(), "a.test").body()).isEqualTo("A host=a.test\n"); // the last good config, throughout
    await().atMost(Duration.ofSeconds(2)).until(() -> second.latest() != null);
    assertThat(second.latest().appliedRevision()).isEqualTo(5);
    assertThat(second.polls).doesNotContain("group=default&after=0&wait=30s&managers=true");

    second.publish(table(6, domain("a.test", "alpha", upstream("127.0.0.1", b.port(), "gb"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.latest().appliedRevision() == 6);
    assertThat(Http.get(router.listenPort(), "a.test").body()).isEqualTo("B host=a.test\n");
  }

  @Test
  void aRouterLeavesAManagerThatHangsWithin2sByItsSilentPulseAndResumesFromItsRevision() {
    Backend a = keep(new Backend("A"));
    RouteTable five = table(5, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")));
    FakeManager second = keep(new FakeManager(0, five));
    FakeManager first = keep(new FakeManager(0, five.withManagers(List.of(url(second)))));
    // Status reports 10 s apart: within 2 s only the silent pulse can tell the router the manager hangs.
    Router router = keep(Router.start(new RouterConfig(url(first), FakeManager.TOKEN, "default", "127.0.0.1", 0, dir, RouterConfig.DEFAULT_NGINX,
        "test-router", 0, "1", Duration.ofSeconds(10), Duration.ofSeconds(30)), Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.latest() != null && first.latest().appliedRevision() == 5 && first.pulses.get() > 0);

    long t0 = System.nanoTime();
    first.hung = true;
    await().atMost(Duration.ofSeconds(2)).until(() -> second.polls.contains("group=default&after=5&wait=30s&managers=true"));
    System.out.println("router-move-time hung ms=" + (System.nanoTime() - t0) / 1_000_000);
    assertThat(Http.get(router.listenPort(), "a.test").body()).isEqualTo("A host=a.test\n"); // the last good config, throughout
  }

  @Test
  void aManagerThatAnswers503IsLeftForOneThatServes() {
    Backend a = keep(new Backend("A"));
    RouteTable five = table(5, domain("a.test", "alpha", upstream("127.0.0.1", a.port(), "ga")));
    FakeManager second = keep(new FakeManager(0, five));
    FakeManager first = keep(new FakeManager(0, five.withManagers(List.of(url(second)))));
    Router router = keep(Router.start(new RouterConfig(url(first), FakeManager.TOKEN, "default", "127.0.0.1", 0, dir, RouterConfig.DEFAULT_NGINX,
        "test-router", 0, "1", Duration.ofMillis(300), Duration.ofSeconds(1)), Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.latest() != null && first.latest().appliedRevision() == 5);

    first.unavailable = true; // alive, but its store is out of reach
    await().atMost(Duration.ofSeconds(5)).until(() -> second.polls.stream().anyMatch(q -> q.contains("after=5")));
    assertThat(Http.get(router.listenPort(), "a.test").body()).isEqualTo("A host=a.test\n");
  }

  @Test
  void aMalformedManagerListIsRefusedNamingTheEntry() {
    assertThat(RouterConfig.managerUrls("--manager", "http://a:8080/, https://b:8443")).containsExactly("http://a:8080", "https://b:8443");
    assertThatThrownBy(() -> RouterConfig.managerUrls("--manager", "http://a:8080,b:8080"))
        .hasMessage("--manager takes http:// or https:// URLs such as http://10.0.0.1:8080, not 'b:8080'");
    assertThatThrownBy(() -> RouterConfig.managerUrls("--manager", "http://a:8080,,")).hasMessageContaining("empty entry");
  }
}

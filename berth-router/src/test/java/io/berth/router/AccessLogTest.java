package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.cluster.wire.TrafficReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real nginx logging to the router's socket: what a window counts is what nginx answered. */
class AccessLogTest {
  @TempDir Path dir;
  final Backend a = new Backend("A");
  final TrafficWindow window = new TrafficWindow(0);
  final AccessLog log = new AccessLog(window);
  Nginx nginx;

  @AfterEach
  void tearDown() {
    if (nginx != null) nginx.close();
    log.close();
    a.close();
  }

  @Test
  void nginxAcceptsTheLogConfigAndEveryAppRequestIsCountedButNoUnknownHost() {
    int port = Http.freePort();
    int status = Http.freePort();
    NginxConfig config = new NginxConfig(dir, "127.0.0.1", port, status, "2", log.port());
    nginx = new Nginx(RouterConfig.DEFAULT_NGINX, dir, status);
    NginxConfig.Rendered r = config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga")),
        domain("empty.test", "shop")), 1);
    nginx.start(r);
    assertThat(nginx.test(r.text())).isEmpty();
    window.serving(r.names());

    for (int i = 0; i < 20; i++) assertThat(Http.get(port, "App.Test").status()).isEqualTo(200); // the Host as a client spells it
    for (int i = 0; i < 5; i++) assertThat(Http.get(port, "empty.test").status()).isEqualTo(503);
    for (int i = 0; i < 3; i++) assertThat(Http.get(port, "nobody.test").status()).isEqualTo(404);

    Map<String, TrafficReport.Domain> seen = new ConcurrentHashMap<>();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      // the datagrams are sent as each request ends: collect windows until all have arrived
      for (TrafficReport.Domain d : window.take("r", "default", System.currentTimeMillis()).domains()) {
        seen.merge(d.domain(), d, (x, y) -> new TrafficReport.Domain(x.domain(), x.requests() + y.requests(),
            x.errors5xx() + y.errors5xx(), x.latencyMsBuckets()));
      }
      TrafficReport.Domain app = seen.get("app.test");
      TrafficReport.Domain empty = seen.get("empty.test");
      return app != null && app.requests() == 20 && empty != null && empty.requests() == 5;
    });
    Map<String, Long> errors = seen.values().stream().collect(Collectors.toMap(TrafficReport.Domain::domain, TrafficReport.Domain::errors5xx));
    assertThat(errors).containsExactlyInAnyOrderEntriesOf(Map.of("app.test", 0L, "empty.test", 5L));
    assertThat(seen.keySet()).doesNotContain("_", "nobody.test");
  }
}

package io.berth.router;

import static io.berth.router.Tables.domain;
import static io.berth.router.Tables.table;
import static io.berth.router.Tables.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real nginx ({@code /usr/sbin/nginx}; CI installs it, and a machine without it fails these tests). */
class NginxTest {
  @TempDir Path dir;
  final Backend a = new Backend("A");
  final Backend b = new Backend("B");
  int port;
  NginxConfig config;
  Nginx nginx;

  @BeforeEach
  void setUp() {
    port = Http.freePort();
    int status = Http.freePort();
    config = new NginxConfig(dir, "127.0.0.1", port, status, "2");
    nginx = new Nginx(RouterConfig.DEFAULT_NGINX, dir, status);
  }

  @AfterEach
  void tearDown() {
    nginx.close();
    a.close();
    b.close();
  }

  @Test
  void startsServesAndReloadsToANewConfigThatIsLiveWhenReloadReturns() throws Exception {
    assertThat(nginx.version()).matches("1\\.\\d+\\.\\d+");
    nginx.start(config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga"))), 1));
    assertThat(Http.get(port, "app.test")).isEqualTo(new Http.Answer(200, "A host=app.test\n"));
    assertThat(Http.get(port, "nobody.test")).isEqualTo(new Http.Answer(404, "no app serves this host\n"));

    for (int generation = 2; generation < 12; generation++) {
      Backend to = generation % 2 == 0 ? b : a;
      NginxConfig.Rendered next = config.render(table(generation, domain("app.test", "app", upstream("127.0.0.1", to.port(), "g"))), generation);
      nginx.reload(next);
      assertThat(nginx.servedMarker()).isEqualTo(generation + "-" + generation);
      assertThat(nginx.live()).isEqualTo(next);
      for (int i = 0; i < 5; i++) assertThat(Http.get(port, "app.test").body()).isEqualTo(to.name + " host=app.test\n");
    }
    NginxConfig.Rendered next = nginx.live();
    assertThat(Files.readString(dir.resolve("nginx.conf"))).isEqualTo(next.text());
  }

  @Test
  void aConfigThatFailsNginxTestIsNotAppliedAndTheOldOneKeepsServing() {
    nginx.start(config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga"))), 1));
    String bad = config.render(table(2, domain("app.test", "app", upstream("no-such-host.invalid", 80, "gx"))), 2).text();
    assertThat(nginx.test(bad)).hasValueSatisfying(e -> assertThat(e).startsWith("host not found in upstream \"no-such-host.invalid:80\""));
    assertThat(nginx.test(config.render(table(3), 3).text())).isEmpty();
    assertThat(Http.get(port, "app.test").body()).isEqualTo("A host=app.test\n");
    assertThat(nginx.servedMarker()).isEqualTo("1-1");
  }

  @Test
  void aReloadLetsRequestsInFlightFinish() throws Exception {
    nginx.start(config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga"))), 1));
    CompletableFuture<Http.Answer> slow = CompletableFuture.supplyAsync(() -> Http.get(port, "app.test", "/slow"));
    Thread.sleep(300); // the request is at the backend now
    nginx.reload(config.render(table(2, domain("app.test", "app", upstream("127.0.0.1", b.port(), "gb"))), 2));
    assertThat(slow.get()).isEqualTo(new Http.Answer(200, "A host=app.test\n"));
  }

  @Test
  void aRequestToADeadInstanceIsRetriedOnAnother() {
    int dead = Http.freePort();
    nginx.start(config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", dead, "g0"), upstream("127.0.0.1", a.port(), "ga"))), 1));
    for (int i = 0; i < 6; i++) assertThat(Http.get(port, "app.test").status()).isEqualTo(200);
  }

  @Test
  void aMasterThatDiesIsStartedAgainWithTheLiveConfig() throws Exception {
    nginx.start(config.render(table(1, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga"))), 1));
    long pid = Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // its workers stay behind, holding the port
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> Http.get(port, "app.test").body().equals("A host=app.test\n"));
    assertThat(Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip())).isNotEqualTo(pid);
  }

  @Test
  void anNginxLeftRunningOnTheDirByAKilledRouterIsStoppedFirst() throws Exception {
    Files.createDirectories(dir.resolve("temp"));
    Files.writeString(dir.resolve("nginx.conf"), config.render(table(1), 1).text());
    Process left = new ProcessBuilder(RouterConfig.DEFAULT_NGINX.toString(), "-p", dir + "/", "-e", dir.resolve("error.log").toString(),
        "-c", dir.resolve("nginx.conf").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("left.out").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> Http.get(port, "x.test").status() == 404);
      nginx.start(config.render(table(2, domain("app.test", "app", upstream("127.0.0.1", a.port(), "ga"))), 2));
      assertThat(left.waitFor(1, TimeUnit.SECONDS)).isTrue();
      assertThat(Http.get(port, "app.test").body()).isEqualTo("A host=app.test\n");
    } finally {
      left.destroyForcibly();
    }
  }

  @Test
  void aTakenPortFailsTheStartWithNginxOwnWords() throws Exception {
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> nginx.start(config.render(table(1), 1))).isInstanceOf(NginxException.class)
          .hasMessage("nginx did not start: bind() to 127.0.0.1:" + taken.getLocalPort() + " failed (98: Address already in use)");
    }
  }

  @Test
  void aMissingBinaryIsOneSentence() {
    assertThatThrownBy(() -> new Nginx(Path.of("/nonexistent/nginx"), dir, 1).version())
        .hasMessage("nginx not found at /nonexistent/nginx: apt-get install nginx");
  }
}

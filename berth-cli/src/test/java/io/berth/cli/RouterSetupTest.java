package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.Addresses;
import io.berth.router.Router;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth dev's router: started against dev's API with its admin token, or left out with one line saying why. */
class RouterSetupTest {
  @TempDir Path dir;
  final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private RouterSetup setup() {
    return new RouterSetup(new PrintStream(printed, true, StandardCharsets.UTF_8), dir);
  }

  @Test
  void startsARouterWithItsFilesInDevsDataDir() throws Exception {
    try (FakeApi api = new FakeApi()) {
      api.on("GET /v1/routes?group=default&after=0&wait=30s&managers=true", "{\"group\": \"default\", \"revision\": 4, \"domains\": []}");
      Path token = Files.writeString(dir.resolve("admin.token"), "berth-abc\n");
      Optional<Router> router = setup().start(api.url(), token, new Addresses.HostPort("127.0.0.1", 0));
      assertThat(router).isPresent();
      try (Router r = router.get()) {
        assertThat(Files.exists(dir.resolve("router/nginx.conf"))).isTrue();
        try (Socket s = new Socket("127.0.0.1", r.listenPort())) {
          s.getOutputStream().write("GET / HTTP/1.0\r\nHost: x.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 404").endsWith("no app serves this host\n");
        }
        Awaitility.await().until(() -> !api.calls("GET", "/v1/routes?group=default&after=0&wait=30s&managers=true").isEmpty());
        assertThat(api.calls("GET", "/v1/routes?group=default&after=0&wait=30s&managers=true").get(0).authorization()).isEqualTo("Bearer berth-abc");
      }
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aTakenPortLeavesDevWithoutARouterAndSaysSo() throws Exception {
    Path token = Files.writeString(dir.resolve("admin.token"), "berth-abc\n");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(setup().start("http://127.0.0.1:1", token, new Addresses.HostPort("127.0.0.1", taken.getLocalPort()))).isEmpty();
      assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("berth dev: no router: nginx did not start: bind() to 127.0.0.1:"
          + taken.getLocalPort() + " failed (98: Address already in use) (--router-listen IP:PORT to use another address, --no-router to go without)\n");
    }
  }
}

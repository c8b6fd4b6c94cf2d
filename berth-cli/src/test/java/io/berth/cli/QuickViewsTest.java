package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick path prints what picocli's commands print, byte for byte, exit code for exit code. */
class QuickViewsTest {
  final FakeApi api = new FakeApi();
  final String since = Instant.now().minusSeconds(600).toString();

  @TempDir
  Path data;

  QuickViewsTest() throws IOException {
    api.on("GET /v1/nodes", """
        [{"name": "n1", "state": "ready", "address": "10.0.0.5:12376", "labels": {"zone": "a", "disk": "ssd"}, "changed_at": "%s",
          "engine": {"engine_version": "27.1", "cpus": 4, "memory_bytes": 8589934592}, "version": "0.2.0", "ratio": 0.25},
         {"name": "ñode-2", "state": "down", "address": "10.0.0.6:2375", "labels": {}, "changed_at": "", "engine": {}, "version": null}]"""
        .formatted(since));
    api.on("GET /v1/apps", """
        [{"name": "web", "latest_version": 3, "instances": 2, "routes": ["web.example", "www.example"],
          "versions": [{"running": 1}, {"running": 1}], "rollout": {"action": "deploy", "to": 3, "phase": "canary"}},
         {"name": "api", "latest_version": 1, "instances": 0, "routes": [], "versions": []}]""");
    api.on("GET /v1/desired_lrps", """
        [{"process_guid": "web-1", "domain": "apps", "instances": 3, "rootfs": "docker:///nginx:1"},
         {"process_guid": "job", "domain": "", "instances": 1, "rootfs": "preloaded:cflinuxfs4"}]""");
    api.on("GET /v1/actual_lrps", """
        [{"process_guid": "web-1", "index": 0, "state": "RUNNING"}, {"process_guid": "web-1", "index": 1, "state": "CLAIMED"},
         {"process_guid": "job", "index": 0, "state": "RUNNING"}]""");
    api.on("GET /v1/desired_lrps?domain=a%20b", "[]");
    api.on("GET /v1/actual_lrps?domain=a%20b", "[]");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void eachViewPrintsAsPicocliDoes() throws IOException {
    for (String line : List.of("nodes", "nodes --json", "app ls", "app list --json", "lrp list", "lrp ls --json", "lrp list --domain=a b")) {
      List<String> args = new ArrayList<>(List.of(line.split(" ", line.contains("=") ? 3 : -1)));
      args.addAll(List.of("--api", api.url(), "--token", "secret"));
      assertSame(args.toArray(new String[0]));
    }
    assertThat(api.calls).allMatch(c -> "Bearer secret".equals(c.authorization()));
    assertSame("nodes", "--api", "http://127.0.0.1:" + closedPort() + "," + api.url(), "--token", "secret", "--json"); // the next manager
  }

  @Test
  void findsTheManagerAndTokenInTheDataDirAsPicocliDoes() throws IOException {
    Files.writeString(data.resolve("manager.json"), "{\"api\": \"" + api.url() + "/\"}");
    Files.writeString(data.resolve("admin.token"), "admin-token\n");
    assertSame("nodes", "--data", data.toString());
    Files.writeString(data.resolve("login.json"), "{\"api\": \"" + api.url() + "\", \"user\": \"alice\", \"token\": \"alices\"}");
    assertSame("app", "ls", "--data", data.toString());
    assertThat(api.calls.stream().map(FakeApi.Call::authorization).distinct()).containsExactly("Bearer admin-token", "Bearer alices");
  }

  @Test
  void failsWithPicocliCommandsWordsAndExitCodes() throws IOException {
    Files.writeString(data.resolve("login.json"), "{\"api\": \"" + api.url() + "\", \"user\": \"alice\", \"token\": \"t\", "
        + "\"expires_at\": \"2020-01-01T00:00:00Z\"}");
    Path broken = Files.createDirectories(data.resolve("broken"));
    Files.writeString(broken.resolve("manager.json"), "{\"api\": ");
    api.on("GET /v1/apps", 401, "{\"name\": \"Unauthorized\", \"message\": \"invalid token: not a Berth token\"}");
    api.on("GET /v1/desired_lrps", 200, "<html>not json</html>");
    api.on("GET /v1/desired_lrps?domain=x", 502, "<html>bad gateway</html>");
    api.on("GET /v1/desired_lrps?domain=empty", 200, "");
    String down = "http://127.0.0.1:" + closedPort();
    for (List<String> line : List.of(
        List.of("nodes", "--api", down, "--token", "t"),
        List.of("lrp", "list", "--api", down + ",http://no-such-host.invalid:1", "--token", "t"),
        List.of("app", "ls", "--api", api.url(), "--token", "wrong"),
        List.of("lrp", "list", "--api", api.url(), "--token", "t"),
        List.of("lrp", "list", "--api", api.url(), "--token", "t", "--domain", "x"),
        List.of("lrp", "list", "--api", api.url(), "--token", "t", "--domain", "empty"),
        List.of("nodes", "--api", "foo", "--token", "t"),
        List.of("nodes", "--api", "http://a:1,", "--token", "t"),
        List.of("nodes", "--data", data.resolve("nothing").toString()),
        List.of("nodes", "--data", broken.toString()),
        List.of("nodes", "--api", api.url(), "--data", data.toString()),
        List.of("nodes", "--api", api.url(), "--data", data.resolve("empty").toString()))) {
      FakeApi.Result slow = assertSame(line.toArray(new String[0]));
      assertThat(slow.exit()).as(String.join(" ", line)).isEqualTo(1);
    }
  }

  @Test
  void leavesTlsAndAnswersItCannotWordToPicocli() throws IOException {
    assertThat(quick("nodes", "--api", "https://127.0.0.1:1", "--token", "t").exit()).isEqualTo(QuickViews.NOT_MINE);
    try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = rude.accept()) {
          s.getInputStream().read(new byte[1024]);
          s.getOutputStream().write("garbage\r\n".getBytes(StandardCharsets.US_ASCII)); // then closed: no HTTP answer
        } catch (IOException e) {
          // the test sees the client's side
        }
      });
      assertThat(quick("nodes", "--api", "http://127.0.0.1:" + rude.getLocalPort(), "--token", "t").exit()).isEqualTo(QuickViews.NOT_MINE);
    }
  }

  @Test
  void leavesAJvmWithAProxySetToPicocliSinceItsSocketsGoDirect() {
    assertThat(QuickHttp.suits(List.of("http://127.0.0.1:8080", "http://10.0.0.2:8080"))).isTrue();
    assertThat(QuickHttp.suits(List.of("http://127.0.0.1:8080", "https://10.0.0.2:8080"))).isFalse();
    assertThat(QuickHttp.suits(List.of("http://me:pw@127.0.0.1:8080"))).isFalse();
    for (String property : List.of("http.proxyHost", "socksProxyHost", "java.net.useSystemProxies")) {
      System.setProperty(property, "true");
      try {
        assertThat(QuickHttp.suits(List.of("http://127.0.0.1:8080"))).as(property).isFalse();
      } finally {
        System.clearProperty(property);
      }
    }
  }

  @Test
  void readsAnswersOfAKnownLengthInChunksOrToTheEnd() throws IOException {
    assertThat(body("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n[1]\nignored")).isEqualTo("[1]\n");
    assertThat(body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[1\r\n3;x=y\r\n, 2\r\n1\r\n]\r\n0\r\nT: v\r\n\r\n"))
        .isEqualTo("[1, 2]");
    assertThat(body("HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>")).isEqualTo("<html>");
    assertThat(QuickHttp.read(stream("HTTP/1.1 204 No Content\r\n\r\n")).body()).isEmpty();
  }

  private static String body(String answer) throws IOException {
    return new String(QuickHttp.read(stream(answer)).body(), StandardCharsets.UTF_8);
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs {@code args} both ways and holds them equal; returns picocli's. */
  private FakeApi.Result assertSame(String... args) {
    FakeApi.Result slow = FakeApi.run(args);
    assertThat(quick(args)).as(String.join(" ", args)).isEqualTo(slow);
    return slow;
  }

  private static FakeApi.Result quick(String... args) {
    QuickLine line = QuickLine.parse(args);
    assertThat(line).as(String.join(" ", args)).isNotNull();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = QuickViews.run(line, new PrintWriter(out, true), new PrintWriter(err, true));
    return new FakeApi.Result(exit, out.toString(), err.toString());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

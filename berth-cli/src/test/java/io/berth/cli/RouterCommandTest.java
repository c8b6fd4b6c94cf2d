package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth router's and berth join's failures at start are one line each (the running router is RouterTest's). */
class RouterCommandTest {
  @TempDir Path dir;

  private FakeApi.Result router(String... args) {
    String[] full = new String[args.length + 6];
    full[0] = "router";
    full[1] = "--manager";
    full[2] = "http://127.0.0.1:1";
    full[3] = "--token";
    full[4] = "secret";
    full[5] = "--data=" + dir;
    System.arraycopy(args, 0, full, 6, args.length);
    return FakeApi.run(full);
  }

  @Test
  void aMissingNginxSaysHowToInstallIt() {
    FakeApi.Result r = router("--listen", "127.0.0.1:0", "--nginx", "/nonexistent/nginx");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth router: nginx not found at /nonexistent/nginx: apt-get install nginx\n");
  }

  @Test
  void aTakenPortIsNginxOwnLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      FakeApi.Result r = router("--listen", "127.0.0.1:" + taken.getLocalPort());
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("berth router: nginx did not start: bind() to 127.0.0.1:" + taken.getLocalPort()
          + " failed (98: Address already in use)\n");
    }
  }

  @Test
  void badFlagsAreOneLine() {
    assertThat(router("--listen", "everywhere").err()).isEqualTo("berth router: --listen must be HOST:PORT, e.g. 127.0.0.1:8080, not 'everywhere'\n");
    assertThat(router("--group", "../x").err()).startsWith("berth router: group must be a simple name").doesNotContain("\n\n");
  }

  @Test
  void aMalformedManagerInTheListIsNamedBeforeAnythingStarts() {
    FakeApi.Result r = FakeApi.run("router", "--manager", "http://127.0.0.1:1,10.0.0.2:8080", "--token", "secret", "--data=" + dir,
        "--listen", "127.0.0.1:0");
    assertThat(r.err()).isEqualTo("berth router: --manager takes http:// or https:// URLs such as http://10.0.0.1:8080, not '10.0.0.2:8080'\n");
  }

  @Test
  void aMalformedManagerInTheJoinListIsNamedBeforeAnythingStarts() {
    FakeApi.Result r = FakeApi.run("join", "--manager", "10.0.0.1:2377,10.0.0.2", "--advertise", "127.0.0.1:12376", "--data=" + dir);
    assertThat(r.err()).isEqualTo("berth join: --manager must be HOST:PORT, e.g. 127.0.0.1:8080, not '10.0.0.2'\n");
    assertThat(dir).isEmptyDirectory();
  }
}

package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The client skips the JDK's default TLS set-up only where no URL can need it. */
class ApiClientTest {
  @Test
  void plainHttpManagersDoNotLoadTheDefaultTlsContext() throws Exception {
    assertThat(ApiClient.httpClient(List.of("http://a:8080", "http://b:8080")).sslContext()).isNotSameAs(SSLContext.getDefault());
  }

  @Test
  void anyHttpsManagerKeepsTheDefaultTlsContext() throws Exception {
    assertThat(ApiClient.httpClient(List.of("http://a:8080", "https://b:8443")).sslContext()).isSameAs(SSLContext.getDefault());
  }

  @Test
  void theCommandsClientIsClosedWhenItIsDoneSoTheJvmNeedNotWaitForItsThread() throws Exception {
    try (FakeApi api = new FakeApi()) {
      api.on("GET /v1/nodes", "[]");
      CommandLine line = Main.commandLine("nodes", "--api", api.url(), "--token", "t")
          .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()));
      assertThat(line.execute("nodes", "--api", api.url(), "--token", "t")).isZero();
      ApiCommand nodes = line.getSubcommands().get("nodes").getCommand();
      assertThat(nodes.api().closed()).isTrue();
    }
  }

  @Test
  void aCommandStillReachesAPlainHttpManager() throws Exception {
    try (FakeApi api = new FakeApi()) {
      api.on("GET /v1/nodes", "[]");
      assertThat(api.ok("nodes").out()).startsWith("NAME");
    }
  }
}

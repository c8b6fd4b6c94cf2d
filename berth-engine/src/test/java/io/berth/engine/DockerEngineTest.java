package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link DockerEngine} does without any engine to talk to. */
class DockerEngineTest {

  @Test
  void aMissingSocketFailsFastWith503NamingTheUrl() {
    try (var engine = new DockerEngine("unix:///nonexistent/berth/docker.sock")) {
      long started = System.nanoTime();
      assertThatThrownBy(engine::ping).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).startsWith("cannot reach the Docker engine at unix:///nonexistent/berth/docker.sock: ");
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void aClosedTcpPortFailsFastWith503() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (var engine = new DockerEngine("tcp://127.0.0.1:" + port)) {
      assertThatThrownBy(() -> engine.listContainers(true, Map.of()))
          .isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).startsWith("cannot reach the Docker engine at tcp://127.0.0.1:" + port);
          });
    }
  }

  @Test
  void anEngineThatAcceptsButNeverAnswersFailsAfterTheResponseTimeout() throws Exception {
    try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         var engine = new DockerEngine(URI.create("tcp://127.0.0.1:" + silent.getLocalPort()),
             Duration.ofMillis(300), Duration.ofMillis(300))) {
      long started = System.nanoTime();
      assertThatThrownBy(engine::ping).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).startsWith("cannot reach the Docker engine at tcp://127.0.0.1:");
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aServerThatIsNotAnEngineFailsPingWith503() throws Exception {
    try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         var engine = new DockerEngine("tcp://127.0.0.1:" + server.getLocalPort())) {
      Thread.ofVirtual().start(() -> {
        try (var s = server.accept()) {
          s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n".getBytes());
          s.getInputStream().read(new byte[4096]);
        } catch (Exception ignored) {
          // the test is over
        }
      });
      assertThatThrownBy(engine::ping).isInstanceOfSatisfying(EngineException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("GET /_ping answered 404");
      });
    }
  }

  @Test
  void anUnsupportedUrlIsRefusedUpFront() {
    assertThatThrownBy(() -> new DockerEngine("http://localhost:2375"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unix:///");
  }

  @Test
  void theEnginesMessageIsUnwrappedFromDockerJavasWording() {
    assertThat(DockerErrors.engineMessage("Status 404: {\"message\":\"No such container: x\"}\n"))
        .isEqualTo("No such container: x");
    assertThat(DockerErrors.engineMessage("plain words")).isEqualTo("plain words");
  }
}

package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DockerEngine#liveRestore()} reads {@code GET /info} itself: an engine that answers only that. */
class DockerEngineInfoTest {
  final AtomicReference<String> info = new AtomicReference<>("{}");
  final HttpServer server;

  DockerEngineInfoTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        byte[] body = (ex.getRequestURI().getPath().endsWith("/info") ? info.get() : "{\"message\":\"page not found\"}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/info") ? 200 : 404, body.length);
        ex.getResponseBody().write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  DockerEngine engine() {
    return new DockerEngine("tcp://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void readsLiveRestoreEnabled() {
    try (DockerEngine e = engine()) {
      info.set("{\"LiveRestoreEnabled\": false, \"ServerVersion\": \"20.10.24\"}");
      assertThat(e.liveRestore()).contains(false);
      info.set("{\"LiveRestoreEnabled\": true}");
      assertThat(e.liveRestore()).contains(true);
    }
  }

  @Test
  void anEngineThatDoesNotSayIsEmpty() {
    try (DockerEngine e = engine()) {
      assertThat(e.liveRestore()).isEmpty();
    }
  }
}

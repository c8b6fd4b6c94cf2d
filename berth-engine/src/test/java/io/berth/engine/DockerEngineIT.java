package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DockerEngine} against a real dockerd started by {@link LocalEngines} as node50 (so it
 * never collides with node1.. that a human started with {@code scripts/engines up}). Set
 * {@code -Dberth.engines.dir=DIR} to keep the engine's data between runs.
 */
class DockerEngineIT extends ContainerEngineContract {
  private static final int NODE = Integer.getInteger("berth.it.node", 50); // another number when 50 is busy
  private static LocalEngines engines;

  @BeforeAll
  static void startEngine() {
    String dir = System.getProperty("berth.engines.dir");
    var builder = LocalEngines.builder().nodes(1).firstNode(NODE);
    engines = (dir == null ? builder : builder.baseDir(Path.of(dir))).start();
  }

  @AfterAll
  static void stopEngine() {
    if (engines != null) {
      engines.close();
    }
  }

  @Override
  protected ContainerEngine engine() {
    return engines.node(NODE).engine();
  }

  @Override
  protected Map<String, String> expectedEngineLabels() {
    return Map.of("node", "node" + NODE);
  }

  @Override
  protected String publishAddress() {
    return engines.node(NODE).address();
  }

  @Override
  protected int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getByName(publishAddress()))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aPublishedPortServesOnTheNodesOwnLoopbackAddress() throws Exception {
    int port = freePort();
    String script = "echo hello-from-" + NODE + " > /tmp/index.html && exec httpd -f -p 8080 -h /tmp";
    engine().start(engine().create(spec("httpd", List.of("sh", "-c", script), Map.of(), Map.of("8080/tcp", port), "")));
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var request = HttpRequest.newBuilder(URI.create("http://" + publishAddress() + ":" + port + "/"))
        .timeout(Duration.ofSeconds(2)).build();
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello-from-" + NODE + "\n"));
  }
}

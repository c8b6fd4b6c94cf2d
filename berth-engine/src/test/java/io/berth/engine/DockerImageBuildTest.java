package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DockerEngine}'s build and push against a server that answers as dockerd's API does, line by line. */
class DockerImageBuildTest {
  private HttpServer server;
  private DockerEngine engine;
  private final Map<String, String> asked = new ConcurrentHashMap<>();
  private volatile List<String> answer = List.of();
  private volatile CountDownLatch hold;

  @BeforeEach
  void server() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    engine = new DockerEngine("tcp://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    engine.close();
    server.stop(0);
  }

  private void answer(HttpExchange x) throws IOException {
    asked.put("uri", x.getRequestURI().toString());
    asked.put("auth", String.valueOf(x.getRequestHeaders().getFirst("X-Registry-Auth")));
    asked.put("body", Integer.toString(x.getRequestBody().readAllBytes().length));
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      for (String line : answer) {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      if (hold != null) hold.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException | IOException e) {
      // the client went away: what a cancelled build looks like to dockerd
    }
  }

  @Test
  void aBuildSendsTheContextAndStreamsItsOutputUntilDockersError() {
    answer = List.of("{\"stream\":\"Step 1/2 : FROM busybox\\n\"}", "{\"stream\":\" ---> 1a2b\\n\"}",
        "{\"errorDetail\":{\"code\":1,\"message\":\"The command '/bin/sh -c false' returned a non-zero code: 1\"},\"error\":\"short\"}");
    List<String> lines = new CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> engine.build(new ByteArrayInputStream(new byte[1024]), "ci/Dockerfile",
        List.of("127.0.0.1:5000/team/app:1a2b3c4"), true, lines::add))
        .isInstanceOf(EngineException.class).hasMessage("The command '/bin/sh -c false' returned a non-zero code: 1");
    assertThat(lines).containsExactly("Step 1/2 : FROM busybox", " ---> 1a2b");
    assertThat(asked.get("uri")).contains("dockerfile=ci%2FDockerfile").contains("t=127.0.0.1%3A5000%2Fteam%2Fapp%3A1a2b3c4")
        .contains("nocache=1");
    assertThat(asked.get("body")).isEqualTo("1024");
  }

  @Test
  void aPushCarriesTheRegistryAuthAndLeavesOutProgressBars() {
    answer = List.of("{\"status\":\"The push refers to repository [127.0.0.1:5000/team/app]\"}",
        "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":1},\"progress\":\"[=>   ]\",\"id\":\"ab\"}",
        "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"ab\"}");
    List<String> lines = new CopyOnWriteArrayList<>();
    engine.push("127.0.0.1:5000/team/app:7", "eyJyZWdpc3RyeXRva2VuIjoiSldUIn0", lines::add);
    assertThat(asked.get("uri")).isEqualTo("/images/127.0.0.1:5000/team/app/push?tag=7");
    assertThat(asked.get("auth")).isEqualTo("eyJyZWdpc3RyeXRva2VuIjoiSldUIn0");
    assertThat(lines).containsExactly("The push refers to repository [127.0.0.1:5000/team/app]", "ab: Pushed");

    answer = List.of("{\"errorDetail\":{\"message\":\"denied: requested access to the resource is denied\"},\"error\":\"x\"}");
    assertThatThrownBy(() -> engine.push("127.0.0.1:5000/team/app:7", null, line -> {}))
        .hasMessage("denied: requested access to the resource is denied");
    assertThat(asked.get("auth")).isEqualTo(DockerImageBuild.NO_AUTH);
  }

  @Test
  void interruptingTheCallerEndsABuildThatIsStillRunning() throws Exception {
    answer = List.of("{\"stream\":\"Step 1/9 : RUN sleep 600\\n\"}");
    hold = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    var failure = new AtomicReference<Throwable>();
    Thread caller = Thread.ofPlatform().start(() -> {
      try {
        engine.build(new ByteArrayInputStream(new byte[512]), "Dockerfile", List.of("a:1"), false, line -> started.countDown());
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(5_000);
    hold.countDown();
    assertThat(caller.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(EngineException.class);
  }
}

package io.berth.agent.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.berth.cluster.wire.Assignment;
import io.berth.core.lrp.Action;
import io.berth.engine.TarReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upload actions made by the agent from the node: the file read out of the container, POSTed as Diego's executor does. */
class ExecutorUploadTest extends ExecutorFixture {
  static final String UP = ScriptCompiler.UPLOADS + "/";
  final BlockingQueue<String> got = new LinkedBlockingQueue<>();
  HttpServer server;
  String base;

  @BeforeEach
  void receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      got.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Content-Type")
          + " md5=" + ex.getRequestHeaders().getFirst("Content-MD5") + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/refuse") ? 500 : 201, -1);
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static Assignment uploading(String guid, String to) {
    Action action = new Action.Serial(List.of(RUN, new Action.Upload("droplet", "/tmp/droplet.tgz", to, "root", null)), null);
    return new Assignment(Assignment.TASK, guid, "job-" + guid, 0, "tasks", "app:1", List.of(), 0, 0, 64, false, null, action,
        null, null, 0, List.of(), "log-job", "TASK", null);
  }

  @Test
  void theAgentPostsTheFileFromTheNodeWhenTheScriptAsksAndAnswersDone() throws Exception {
    Executor x = running(base + "/droplets/t1");
    String id = only();
    advance(Duration.ofSeconds(1));
    x.pass();
    assertThat(got).as("nothing is sent before the script asks").isEmpty();
    ask(id, "the droplet", "f3");
    advance(Duration.ofSeconds(1));
    x.pass();
    assertThat(got.poll()).isEqualTo("POST /droplets/t1 application/octet-stream md5=" + Uploads.md5("the droplet".getBytes(StandardCharsets.UTF_8))
        + " the droplet");
    assertThat(file(id, "f3.done")).isPresent();
    assertThat(file(id, "f3.error")).isEmpty();
    advance(Duration.ofSeconds(1));
    x.pass();
    assertThat(got).as("an answered request is not sent again").isEmpty();
  }

  @Test
  void anAgentRestartedWhileAScriptWaitsAnswersItAfterAdoptingTheContainer() throws Exception {
    running(base + "/droplets/t1").close();
    String id = only();
    ask(id, "kept", "f3");
    Executor second = running(base + "/droplets/t1"); // adopts
    advance(Duration.ofSeconds(1));
    second.pass();
    assertThat(got.poll()).endsWith(" kept");
    assertThat(file(id, "f3.done")).isPresent();
  }

  @Test
  void aRefusedUploadOrAnUnknownIdIsAnsweredWithItsError() {
    String id = askedFor(base + "/refuse", "d", "f3", "f9");
    assertThat(file(id, "f3.error")).hasValue("POST " + base + "/refuse answered 500");
    assertThat(file(id, "f9.error")).hasValue("no upload f9 in this instance's actions");
    assertThat(file(id, "f3.done")).isPresent();
  }

  @Test
  void aMissingFileIsAnErrorAndNothingIsPosted() {
    String id = askedFor(base + "/droplets/t1", null, "f3");
    assertThat(file(id, "f3.error")).hasValueSatisfying(e -> assertThat(e).startsWith("cannot read /tmp/droplet.tgz"));
    assertThat(got).isEmpty();
  }

  /** An executor whose first pass made the container of a task uploading to {@code to} (or adopted it). */
  private Executor running(String to) {
    Executor x = executor();
    x.assign(List.of(uploading("t1", to)));
    x.pass();
    return x;
  }

  /** What the script does: the file to upload holds {@code droplet} (null: none), and it asks for {@code ids}. */
  private void ask(String id, String droplet, String... ids) {
    if (droplet != null) engine.writeFile(id, "/tmp/droplet.tgz", droplet.getBytes(StandardCharsets.UTF_8));
    for (String want : ids) engine.writeFile(id, UP + want + ".want", new byte[0]);
  }

  /** A task uploading to {@code to} whose script asked for {@code ids}, after one more pass: its container. */
  private String askedFor(String to, String droplet, String... ids) {
    Executor x = running(to);
    String id = only();
    ask(id, droplet, ids);
    advance(Duration.ofSeconds(1));
    x.pass();
    return id;
  }

  private Optional<String> file(String id, String name) {
    try {
      return TarReader.read(engine.getArchive(id, UP + name)).stream().findFirst()
          .map(e -> new String(e.content(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}

package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code docker build} and {@code docker push} over the raw API ({@code POST /build}, {@code POST
 * /images/{name}/push}) on a client without a read timeout: a build step may be silent for many
 * minutes, and docker-java's commands hide the progress lines that carry both the log and a
 * failure half-way ({@code errorDetail}).
 */
final class DockerImageBuild {
  /** {@code {}}: the engine wants an {@code X-Registry-Auth} header on every push, even an anonymous one. */
  static final String NO_AUTH = "e30=";
  private static final long WATCH_MILLIS = 100;
  private final DockerHttpClient http;
  private final DockerErrors errors;

  DockerImageBuild(DockerHttpClient http, DockerErrors errors) {
    this.http = http;
    this.errors = errors;
  }

  void build(InputStream context, String dockerfile, List<String> tags, boolean noCache, Consumer<String> progress) {
    StringBuilder path = new StringBuilder("/build?rm=1&forcerm=1&dockerfile=").append(encode(dockerfile));
    for (String t : tags) path.append("&t=").append(encode(t));
    if (noCache) path.append("&nocache=1");
    follow(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST).path(path.toString())
        .putHeader("Content-Type", "application/x-tar").body(context).build(), progress);
  }

  void push(String reference, String registryAuth, Consumer<String> progress) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    String repo = colon > slash ? reference.substring(0, colon) : reference;
    String tag = colon > slash ? reference.substring(colon + 1) : "latest";
    follow(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .path("/images/" + repo + "/push?tag=" + encode(tag))
        .putHeader("X-Registry-Auth", registryAuth == null ? NO_AUTH : registryAuth).build(), progress);
  }

  /**
   * Follows the answer's JSON lines: {@code stream} text and {@code status} lines (without their
   * progress bars) go to {@code progress}; an {@code error} line ends it with the engine's words. A
   * read blocked on the socket ignores interrupts, so a watcher closes the answer when the caller
   * is interrupted, which is also what makes the engine stop the build.
   */
  private void follow(DockerHttpClient.Request request, Consumer<String> progress) {
    Thread caller = Thread.currentThread();
    AtomicBoolean done = new AtomicBoolean();
    try (var response = errors.call(() -> http.execute(request))) {
      Thread watcher = Thread.ofVirtual().name("engine-build-watch").start(() -> closeOnInterrupt(caller, response, done));
      try (var body = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
        StringBuilder text = new StringBuilder();
        for (String line; (line = body.readLine()) != null; ) {
          if (response.getStatusCode() != 200 || !line.startsWith("{")) {
            text.append(line).append('\n');
            continue;
          }
          line(DockerErrors.JSON.readTree(line), progress);
        }
        if (response.getStatusCode() >= 300) throw DockerErrors.answered(response.getStatusCode(), text.toString());
      } finally {
        done.set(true);
        watcher.interrupt();
      }
    } catch (IOException e) {
      if (caller.isInterrupted()) throw new EngineException(500, "stopped: the caller was interrupted", e);
      throw errors.unreachable(e);
    }
  }

  private static void line(JsonNode node, Consumer<String> progress) {
    if (node.hasNonNull("error")) {
      String message = node.path("errorDetail").path("message").asText("");
      throw new EngineException(500, message.isEmpty() ? node.get("error").asText() : message);
    }
    if (node.hasNonNull("stream")) {
      node.get("stream").asText().lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).forEach(progress);
    } else if (node.hasNonNull("status") && !node.hasNonNull("progress")) {
      String status = node.get("status").asText();
      progress.accept(node.hasNonNull("id") ? node.get("id").asText() + ": " + status : status);
    }
  }

  private static void closeOnInterrupt(Thread caller, AutoCloseable response, AtomicBoolean done) {
    try {
      while (!done.get()) {
        if (caller.isInterrupted()) {
          response.close();
          return;
        }
        Thread.sleep(WATCH_MILLIS);
      }
    } catch (Exception e) {
      // done (interrupted by the caller's own end) or the close failed: the caller's read ends either way
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

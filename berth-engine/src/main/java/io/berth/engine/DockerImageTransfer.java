package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images into a Docker engine — a rootfs tar imported, a reference pulled — over {@code POST
 * /images/create} on the patient client: docker-java's own commands hide the progress lines that
 * carry both the user's feedback and a failure half-way.
 */
final class DockerImageTransfer {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class); // the engine's log lines, as before
  private final DockerHttpClient http;
  private final DockerErrors errors;
  private final URI url;

  DockerImageTransfer(DockerHttpClient http, DockerErrors errors, URI url) {
    this.http = http;
    this.errors = errors;
    this.url = url;
  }

  /**
   * Streams the tar to {@code POST /images/create?fromSrc=-}. The engine answers 200 and then
   * reports progress, so a failure half-way arrives as an {@code error} line in the body.
   */
  void importImage(InputStream rootfsTar, String repository, String tag) {
    String path = "/images/create?fromSrc=-&repo=" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
        + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    long started = System.nanoTime();
    imagesCreate(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .path(path).putHeader("Content-Type", "application/x-tar").body(rootfsTar).build(), line -> {});
    log.info("engine-image-imported image={}:{} url={} ms={}", repository, tag, url,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** {@code POST /images/create?fromImage=…&tag=…}, as {@code docker pull}; with {@code X-Registry-Auth} unless it is null. */
  void pull(String reference, String registryAuth, Consumer<String> progress) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    String repo = colon > slash ? reference.substring(0, colon) : reference;
    String tag = colon > slash ? reference.substring(colon + 1) : "latest";
    String path = "/images/create?fromImage=" + URLEncoder.encode(repo, StandardCharsets.UTF_8)
        + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8);
    long started = System.nanoTime();
    DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST).path(path);
    if (registryAuth != null) request.putHeader("X-Registry-Auth", registryAuth);
    imagesCreate(request.build(), progress);
    log.info("engine-image-pulled image={} url={} ms={}", reference, url, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * {@code POST /images/create} (import or pull): the engine answers 200 and then reports
   * progress, so a failure half-way arrives as an {@code error} line in the body; each status line
   * goes to {@code progress}.
   */
  private void imagesCreate(DockerHttpClient.Request request, Consumer<String> progress) {
    try (var response = errors.call(() -> http.execute(request));
         var body = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
      StringBuilder text = new StringBuilder();
      for (String line; (line = body.readLine()) != null; ) {
        text.append(line).append('\n');
        if (response.getStatusCode() == 200 && line.startsWith("{")) {
          JsonNode node = DockerErrors.JSON.readTree(line);
          if (node.hasNonNull("error")) throw new EngineException(500, node.get("error").asText());
          String status = node.path("status").asText("");
          if (!status.isEmpty()) progress.accept(node.hasNonNull("id") ? node.get("id").asText() + ": " + status : status);
        }
      }
      if (response.getStatusCode() >= 300) throw DockerErrors.answered(response.getStatusCode(), text.toString());
    } catch (IOException e) {
      throw errors.unreachable(e);
    }
  }
}

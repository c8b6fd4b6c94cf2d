package io.berth.agent.work;

import io.berth.core.lrp.Action;
import io.berth.engine.ContainerEngine;
import io.berth.engine.EngineException;
import io.berth.engine.TarReader;
import io.berth.engine.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diego's upload action, made from the node as Diego's executor streams a file out of Garden: the
 * container's script asks ({@code /.berth/run/up/ID.want}), the agent reads the file out with the
 * engine's archive API, POSTs it to the URL from the node's network, and answers ({@code ID.error}
 * when it failed, then {@code ID.done}). Only uploads of the instance's own action tree are made: the
 * container names an id, never a path or a URL.
 */
final class Uploads {
  private static final Logger log = LoggerFactory.getLogger(Uploads.class);
  /** How often a running instance with uploads in its tree is asked whether it wants one. */
  static final long POLL_NANOS = 250_000_000L;
  /** Attempts of one upload when the connection fails (as Diego's uploader: 3). */
  static final int ATTEMPTS = 3;

  private final ContainerEngine engine;
  private final Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** {@code tmp}: where files wait between the container and the upload (the agent's data dir's tmp). */
  Uploads(ContainerEngine engine, Path tmp) {
    this.engine = engine;
    this.tmp = tmp;
  }

  /** The uploads the instance's main script may ask for, by id: compiled again from the assignment (pure), so an adopted one has them too. */
  static Map<String, Action.Upload> of(Instance i) {
    var a = i.assignment;
    var main = ScriptCompiler.main(a.setup(), a.action(), !i.isTask() && a.monitor() != null, a.logSource());
    return main.sends().stream().collect(Collectors.toMap(ScriptCompiler.Send::id, ScriptCompiler.Send::action));
  }

  /** Answers every upload the container asks for now; the rest of the time one archive read of its request directory. */
  void serve(Instance i, Map<String, Action.Upload> sends) {
    List<TarReader.Entry> entries;
    try {
      entries = TarReader.read(engine.getArchive(i.containerId, ScriptCompiler.UPLOADS));
    } catch (EngineException e) {
      if (e.status() == 404) return; // no request yet
      throw e;
    }
    Set<String> wanted = new HashSet<>();
    Set<String> answered = new HashSet<>();
    for (TarReader.Entry e : entries) {
      String file = e.name().substring(e.name().lastIndexOf('/') + 1);
      if (file.endsWith(".want")) wanted.add(file.substring(0, file.length() - 5));
      if (file.endsWith(".done")) answered.add(file.substring(0, file.length() - 5));
    }
    wanted.removeAll(answered);
    for (String id : wanted) {
      Action.Upload u = sends.get(id);
      Optional<String> error = u == null ? Optional.of("no upload " + id + " in this instance's actions") : send(i, u);
      answer(i.containerId, id, error);
    }
  }

  /**
   * Streams the file out of the container into a temporary file of the agent's (as Diego's executor
   * does, for its MD5 and length before sending), and POSTs it; empty when the server took it, else why not.
   */
  Optional<String> send(Instance i, Action.Upload u) {
    Path file;
    try {
      Files.createDirectories(tmp);
      file = Files.createTempFile(tmp, "upload-", ".part");
    } catch (IOException e) {
      return Optional.of("cannot keep the file on the node: " + e.getMessage());
    }
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      try (InputStream tar = engine.openArchive(i.containerId, u.from());
           OutputStream out = new DigestOutputStream(Files.newOutputStream(file), md5)) {
        if (!TarStream.firstFile(tar, out)) return Optional.of(u.from() + " is not a file");
      } catch (EngineException | IOException e) {
        return Optional.of("cannot read " + u.from() + ": " + e.getMessage());
      }
      return post(i, u, file, Base64.getEncoder().encodeToString(md5.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // left in the data dir's tmp
      }
    }
  }

  /** Diego's uploader: POST, the bytes as the body, octet-stream, Content-MD5; a failed connection tried {@value #ATTEMPTS} times. */
  private Optional<String> post(Instance i, Action.Upload u, Path file, String md5) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(u.to())).timeout(Duration.ofMinutes(15))
          .header("Content-Type", "application/octet-stream").header("Content-MD5", md5)
          .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
    } catch (IllegalArgumentException e) {
      return Optional.of("bad URL " + u.to() + ": " + e.getMessage());
    } catch (FileNotFoundException e) {
      return Optional.of("the file kept on the node is gone: " + e.getMessage());
    }
    String failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          log.info("instance-uploaded instance={} to={} bytes={}", i.guid, u.to(), Files.size(file));
          return Optional.empty();
        }
        return Optional.of("POST " + u.to() + " answered " + status);
      } catch (IOException e) {
        failure = "POST " + u.to() + ": " + e; // the connection failed: try again, as Diego does
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted");
      }
    }
    log.warn("instance-upload-failed instance={} to={}: {}", i.guid, u.to(), failure);
    return Optional.of(failure);
  }

  /** The error first, then the mark the script waits for: the archive is unpacked in order, so the script never sees half an answer. */
  private void answer(String containerId, String id, Optional<String> error) {
    TarWriter tar = new TarWriter();
    error.ifPresent(e -> tar.file(id + ".error", 0644, e.getBytes(StandardCharsets.UTF_8)));
    tar.file(id + ".done", 0644, new byte[0]);
    engine.putArchive(containerId, ScriptCompiler.UPLOADS, new ByteArrayInputStream(tar.finish()));
  }

  /** Diego's {@code Content-MD5}: base64 of the body's MD5. */
  static String md5(byte[] body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

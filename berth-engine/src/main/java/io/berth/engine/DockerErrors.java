package io.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns docker-java's failures into {@link EngineException}s that carry the engine's own words.
 *
 * <p>docker-java words its exceptions {@code Status 404: {"message":"No such container: x"}}; we
 * keep only the message. A failure with an {@link IOException} anywhere in its causes means the
 * engine could not be reached (docker-java wraps those in a bare {@link RuntimeException}).
 */
final class DockerErrors {
  static final ObjectMapper JSON = DockerJson.MAPPER;
  private static final Pattern STATUS_PREFIX = Pattern.compile("^Status (\\d{3}): ", Pattern.DOTALL);

  private final URI url;

  DockerErrors(URI url) {
    this.url = url;
  }

  /** Maps any failure of a call to the engine. */
  EngineException map(RuntimeException e) {
    if (e instanceof EngineException engine) {
      return engine;
    }
    if (e instanceof DockerException docker) {
      String message = engineMessage(docker.getMessage());
      return new EngineException(docker.getHttpStatus(), reason(docker.getHttpStatus(), message), message, e);
    }
    IOException io = ioCause(e);
    if (io != null) {
      return unreachable(io);
    }
    return new EngineException(500, "unexpected failure talking to the Docker engine at " + url
        + ": " + e, e);
  }

  /** Runs one call to the engine, its failures mapped. */
  <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  /** The 503 for an engine that did not answer. */
  EngineException unreachable(IOException cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new EngineException(503, "cannot reach the Docker engine at " + url + ": " + why, cause);
  }

  /** An error the engine answered in a response body we read ourselves. */
  static EngineException answered(int status, String body) {
    String message = engineMessage(body);
    return new EngineException(status, reason(status, message), message);
  }

  /** Docker names a taken host port only in its words, so they are read here, once, at the edge. */
  static EngineException.Reason reason(int status, String message) {
    return status == 500 && message.contains("port is already allocated") ? EngineException.Reason.PORT_IN_USE : EngineException.Reason.OTHER;
  }

  /** Strips docker-java's "Status N: " and Docker's JSON envelope, leaving the message. */
  static String engineMessage(String raw) {
    if (raw == null || raw.isBlank()) {
      return "the Docker engine gave no reason";
    }
    String text = raw.strip();
    Matcher m = STATUS_PREFIX.matcher(text);
    if (m.find()) {
      text = text.substring(m.end()).strip();
    }
    if (text.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(text);
        if (node.hasNonNull("message")) {
          return node.get("message").asText();
        }
      } catch (IOException notJson) {
        // fall through: keep the text as the engine gave it
      }
    }
    return text;
  }

  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }
}

package io.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.berth.cluster.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Calls the Berth API with a Bearer token (none: anonymous, as for signing in); failures become one sentence for the user. */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;

  ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  /** POSTs a JSON body (null: none); the answer, or a missing node when there is none. */
  JsonNode post(String path, byte[] body) {
    return send(withJson(request(path), "POST", body));
  }

  /** POSTs a body of the given content type, e.g. an app manifest's YAML as written. */
  JsonNode post(String path, byte[] body, String contentType) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** PUTs a JSON body (null: none) with extra headers, e.g. Cache-Control. */
  JsonNode put(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = withJson(request(path), "PUT", body);
    headers.forEach(b::header);
    return send(b);
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  /**
   * GETs a text body and copies it to {@code out} as it arrives, flushing after every read, until
   * the manager ends it (a followed log never does: a Ctrl-C ends the command). The request's
   * timeout covers only the wait for the answer's headers.
   */
  void stream(String path, Writer out) {
    HttpResponse<InputStream> res;
    try {
      res = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    try (InputStream body = res.body(); Reader in = new InputStreamReader(body, StandardCharsets.UTF_8)) {
      if (res.statusCode() / 100 != 2) {
        byte[] bytes = body.readAllBytes();
        throw failure(res.statusCode(), bytes.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(bytes));
      }
      char[] buf = new char[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("HTTP " + res.statusCode() + " from the manager at " + base);
    } catch (IOException e) {
      throw new IllegalStateException("the manager at " + base + " broke off the stream: " + e.getMessage());
    }
  }

  /** One path segment, percent-encoded, so a GUID a user typed cannot change the route it names. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?domain=D} when a domain is given, else nothing. */
  static String domainQuery(String domain) {
    return domain == null || domain.isEmpty() ? "" : "?domain=" + segment(domain);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static HttpRequest.Builder withJson(HttpRequest.Builder b, String method, byte[] body) {
    if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody());
    return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private JsonNode send(HttpRequest.Builder b) {
    HttpResponse<byte[]> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    JsonNode body;
    try {
      body = res.body().length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(res.body());
    } catch (IOException e) {
      if (res.statusCode() / 100 != 2) throw new IllegalStateException("HTTP " + res.statusCode() + " from the manager at " + base);
      throw new IllegalStateException("the manager at " + base + " sent something that is not JSON (HTTP " + res.statusCode() + ")");
    }
    if (res.statusCode() / 100 != 2) throw failure(res.statusCode(), body);
    return body;
  }

  /** The API's error body {@code {"name", "message"}} as one sentence. */
  private static IllegalStateException failure(int status, JsonNode body) {
    return new IllegalStateException(body.path("message").asText("HTTP " + status) + " (HTTP " + status + ")");
  }

  private IllegalStateException unreachable(IOException e) {
    if (e instanceof ConnectException) {
      return new IllegalStateException("cannot reach the manager at " + base + ": connection refused (is it running?)");
    }
    return new IllegalStateException("cannot reach the manager at " + base + ": " + e.getMessage());
  }
}

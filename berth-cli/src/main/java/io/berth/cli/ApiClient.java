package io.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.berth.router.RouterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Calls the Berth API with a Bearer token (none: anonymous, as for signing in); failures become one
 * sentence for the user. Given several managers' URLs ({@code http://a:8080,http://b:8080}) it tries
 * them in order, the next only when a manager cannot be reached ({@link ApiFailover}); an answer,
 * even an error, is the answer.
 */
final class ApiClient implements AutoCloseable {
  private final HttpClient http;
  private final List<String> bases;
  private final String token;

  ApiClient(String urls, String token) {
    this.bases = RouterConfig.managerUrls("--api", urls);
    this.token = token;
    this.http = httpClient(bases);
  }

  /**
   * A client for {@code bases}. When none is https, it gets a TLS context it never uses instead of
   * the JDK's default one, whose set-up (the trust store's certificates, the cipher suites) took
   * about a fifth of a client command's start: an http:// URL never shakes hands, and a redirect
   * to https is not followed (the client follows none).
   */
  static HttpClient httpClient(List<String> bases) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (bases.stream().allMatch(url -> url.startsWith("http://"))) {
      try {
        b.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
      } catch (NoSuchAlgorithmException e) {
        // no TLS at all in this JDK: the default context fails the same way, so leave it to the builder
      }
    }
    return b.build();
  }

  JsonNode get(String path) {
    return send(path, request().GET());
  }

  /** POSTs a JSON body (null: none); the answer, or a missing node when there is none. */
  JsonNode post(String path, byte[] body) {
    return send(path, withJson(request(), "POST", body));
  }

  /** POSTs a body of the given content type, e.g. an app manifest's YAML as written. */
  JsonNode post(String path, byte[] body, String contentType) {
    return send(path, request().header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** PUTs a JSON body (null: none) with extra headers, e.g. Cache-Control. */
  JsonNode put(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = withJson(request(), "PUT", body);
    headers.forEach(b::header);
    return send(path, b);
  }

  JsonNode delete(String path) {
    return send(path, request().DELETE());
  }

  /**
   * GETs a text body and copies it to {@code out} as it arrives, flushing after every read, until
   * the manager ends it (a followed log never does: a Ctrl-C ends the command). The request's
   * timeout covers only the wait for the answer's headers.
   */
  void stream(String path, Writer out) {
    read(path, body -> {
      Reader in = new InputStreamReader(body, StandardCharsets.UTF_8);
      char[] buf = new char[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    });
  }

  /** GETs a binary body into {@code out} as it arrives, telling {@code progress} the bytes so far after every read. */
  void download(String path, OutputStream out, LongConsumer progress) {
    read(path, body -> {
      long total = 0;
      byte[] buf = new byte[1 << 16];
      for (int n; (n = body.read(buf)) >= 0; ) {
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw new IllegalStateException("cannot write what the manager sends: " + e.getMessage(), e); // ours, not the manager's
        }
        progress.accept(total += n);
      }
    });
  }

  /** What reads a 2xx answer's body. */
  private interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /** GETs {@code path} and hands a 2xx body to {@code reader}; an error answer, or a body broken off, is one sentence. */
  private void read(String path, BodyReader reader) {
    ApiFailover.Answer<HttpResponse<InputStream>> answer = ApiFailover.send(http, bases, path, request().GET(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> res = answer.response();
    String base = answer.base();
    try (InputStream body = res.body()) {
      if (res.statusCode() / 100 != 2) {
        byte[] bytes = body.readAllBytes();
        throw failure(res.statusCode(), bytes.length == 0 ? MissingNode.getInstance() : JsonTree.read(bytes));
      }
      reader.read(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("HTTP " + res.statusCode() + " from the manager at " + base);
    } catch (IOException e) {
      throw new IllegalStateException("the manager at " + base + " broke off the stream: " + e.getMessage());
    }
  }

  /**
   * Stops the client's selector thread. A JVM that exits while that thread waits in native code
   * waits up to 300 ms for it (HotSpot's VM_Exit), which was a third of a client command's time.
   */
  @Override
  public void close() {
    http.close();
  }

  boolean closed() {
    return http.isTerminated();
  }

  /** One path segment, percent-encoded, so a GUID a user typed cannot change the route it names. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?domain=D} when a domain is given, else nothing. */
  static String domainQuery(String domain) {
    return domain == null || domain.isEmpty() ? "" : "?domain=" + segment(domain);
  }

  /** A request without its URI: {@link ApiFailover} sets it for each manager it tries. */
  private HttpRequest.Builder request() {
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static HttpRequest.Builder withJson(HttpRequest.Builder b, String method, byte[] body) {
    if (body == null) return b.method(method, HttpRequest.BodyPublishers.noBody());
    return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private JsonNode send(String path, HttpRequest.Builder b) {
    ApiFailover.Answer<HttpResponse<byte[]>> answer = ApiFailover.send(http, bases, path, b, HttpResponse.BodyHandlers.ofByteArray());
    return answer(answer.base(), answer.response().statusCode(), answer.response().body());
  }

  /** A 2xx answer's JSON (a missing node when it has no body), from the manager at {@code base}; any other is one sentence. */
  static JsonNode answer(String base, int status, byte[] bytes) {
    JsonNode body;
    try {
      body = bytes.length == 0 ? MissingNode.getInstance() : JsonTree.read(bytes);
    } catch (IOException e) {
      if (status / 100 != 2) throw new IllegalStateException("HTTP " + status + " from the manager at " + base);
      throw new IllegalStateException("the manager at " + base + " sent something that is not JSON (HTTP " + status + ")");
    }
    if (status / 100 != 2) throw failure(status, body);
    return body;
  }

  /** The API's error body {@code {"name", "message"}} as one sentence. */
  private static IllegalStateException failure(int status, JsonNode body) {
    return new IllegalStateException(body.path("message").asText("HTTP " + status) + " (HTTP " + status + ")");
  }
}

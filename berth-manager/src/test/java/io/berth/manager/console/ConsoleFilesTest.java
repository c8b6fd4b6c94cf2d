package io.berth.manager.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.manager.http.ApiTestServer;
import io.berth.manager.http.Gzip;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The console's static files on a real manager: open in the guard, content types, gzip, caching, HEAD, 404s. */
class ConsoleFilesTest {
  @RegisterExtension static final ApiTestServer m = new ApiTestServer();
  static final HttpClient http = HttpClient.newHttpClient();

  private static HttpResponse<byte[]> call(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(m.uri(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String asset(String ext) throws Exception {
    String html = new String(call("GET", "/").body(), StandardCharsets.UTF_8);
    Matcher found = Pattern.compile("\"/?(assets/[\\w.-]+\\." + ext + ")\"").matcher(html);
    assertThat(found.find()).as("index.html names a ." + ext + " asset: " + html).isTrue();
    return "/" + found.group(1);
  }

  @Test
  void servesTheIndexToAnyoneWithoutCaching() throws Exception {
    HttpResponse<byte[]> r = call("GET", "/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<div id=\"app\">");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertThat(call("GET", "/", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(call("GET", "/index.html").statusCode()).isEqualTo(200);
  }

  @Test
  void servesAssetsImmutableWithTheirContentTypeAndGzip() throws Exception {
    String js = asset("js");
    HttpResponse<byte[]> plain = call("GET", js);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");

    HttpResponse<byte[]> zipped = call("GET", js, "Accept-Encoding", "gzip, deflate, br");
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(zipped.body().length).isLessThan(plain.body().length / 2);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes()).isEqualTo(plain.body());

    assertThat(call("GET", js, "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(call("GET", asset("css")).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
  }

  @Test
  void headAnswersTheHeadersWithoutTheBody() throws Exception {
    String js = asset("js");
    HttpResponse<byte[]> head = call("HEAD", js);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(call("GET", js).body().length));
    assertThat(head.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(call("HEAD", "/").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> api = call("HEAD", "/healthz"); // every GET route answers HEAD
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).isEmpty();
    assertThat(api.headers().firstValue("Content-Length")).hasValue(Integer.toString(call("GET", "/healthz").body().length));
  }

  @Test
  void unknownFilesAreJson404sAndTheApiStaysGuarded() throws Exception {
    HttpResponse<byte[]> missing = call("GET", "/assets/nope-123.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("\"name\":\"RouteNotFound\"");
    assertThat(call("GET", "/assets/a/b.js").statusCode()).isEqualTo(404);
    assertThat(new String(call("GET", "/nope").body(), StandardCharsets.UTF_8)).contains("RouteNotFound");
    assertThat(call("GET", "/v1/nodes").statusCode()).isEqualTo(401);
    assertThat(call("POST", "/").statusCode()).isEqualTo(405);
    assertThat(m.call(m.adminToken(), "GET", "/v1/nodes", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aBuildWithoutTheConsoleSaysSo(@TempDir Path empty) throws Exception {
    try (URLClassLoader none = new URLClassLoader(new URL[] {empty.toUri().toURL()}, null)) {
      assertThat(ConsoleFiles.load(none, ConsoleFiles.ROOT).size()).isZero();
    }
    Path root = empty.resolve("io/berth/console");
    Files.createDirectories(root);
    Files.writeString(root.resolve("files"), "index.html\nassets/gone.js\n");
    Files.writeString(root.resolve("index.html"), "<html></html>");
    try (URLClassLoader broken = new URLClassLoader(new URL[] {empty.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> ConsoleFiles.load(broken, ConsoleFiles.ROOT)).hasMessageContaining("assets/gone.js");
    }
  }

  @Test
  void readsAcceptEncodingAsHttpSays() {
    assertThat(Gzip.accepted("gzip")).isTrue();
    assertThat(Gzip.accepted("br, GZIP;q=0.5")).isTrue();
    assertThat(Gzip.accepted("*")).isTrue();
    assertThat(Gzip.accepted("gzip;q=0")).isFalse();
    assertThat(Gzip.accepted("br, deflate")).isFalse();
    assertThat(Gzip.accepted("")).isFalse();
    assertThat(ConsoleFiles.contentType("assets/x.svg")).isEqualTo("image/svg+xml");
    assertThat(ConsoleFiles.contentType("assets/x.bin")).isEqualTo("application/octet-stream");
  }
}

package io.berth.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.Strategy;
import io.berth.manager.Manager;
import io.berth.manager.ManagerConfig;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Berth API on a free loopback port: a whole manager in this JVM on a SQLite store in a
 * temporary directory, with no Docker endpoint, and an HTTP client that calls it as anyone or as
 * the administrator. Register it on a field ({@code @RegisterExtension final ApiTestServer m = new
 * ApiTestServer();}) for a fresh manager per test, or on a static field for one per class.
 */
public final class ApiTestServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final HttpClient http = HttpClient.newHttpClient();
  private boolean perClass;
  private Path dir;
  private StateStore store;
  private Manager manager;
  private String adminToken;
  private final UnaryOperator<ManagerConfig> tune;

  public ApiTestServer() {
    this(UnaryOperator.identity());
  }

  /** A server whose manager runs with {@code tune} applied to its configuration (the Receptor's flags, say). */
  public ApiTestServer(UnaryOperator<ManagerConfig> tune) {
    this.tune = tune;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (!perClass) stop();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
  }

  private void start() throws Exception {
    // The real cost (12) is measured in the benchmark, not paid in every test.
    if (System.getProperty("berth.bcrypt.cost") == null) System.setProperty("berth.bcrypt.cost", "4");
    dir = Files.createTempDirectory("berth-api-test");
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    manager = Manager.start(tune.apply(new ManagerConfig(any, any, null, dir.resolve("manager"), "sqlite://", Duration.ofSeconds(2),
        Duration.ofMillis(500), Strategy.SPREAD, Scheduler.FILTERS, null, null)), store, Clock.systemUTC());
    adminToken = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
  }

  private void stop() throws IOException {
    if (manager != null) manager.close();
    if (store != null) store.close();
    manager = null;
    store = null;
    if (dir == null) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public Manager manager() {
    return manager;
  }

  public StateStore store() {
    return store;
  }

  public String adminToken() {
    return adminToken;
  }

  /** The address of {@code path} on this API. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + manager.apiPort() + path);
  }

  /**
   * Calls the API: {@code token} null sends no credentials, one starting with {@code "Basic "} is sent as it is, any other
   * as a bearer token; {@code headers} are name, value pairs.
   */
  public HttpResponse<String> call(String token, String method, String path, String body, String... headers) throws Exception {
    return send(token, method, path, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), headers);
  }

  /** Calls the API as the administrator. */
  public HttpResponse<String> asAdmin(String method, String path, String body, String... headers) throws Exception {
    return call(adminToken, method, path, body, headers);
  }

  /** Calls the API with a body of raw bytes, which need not be text. */
  public HttpResponse<String> send(String token, String method, String path, byte[] body) throws Exception {
    return send(token, method, path, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(String token, String method, String path, HttpRequest.BodyPublisher body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, body);
    if (token != null) b.header("Authorization", token.startsWith("Basic ") ? token : "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Makes a user with {@code password} and signs them in: their session token. */
  public String signedIn(String name, String password) throws Exception {
    HttpResponse<String> made = asAdmin("POST", "/v1/users", "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    HttpResponse<String> r = call(null, "POST", "/v1/login", "{\"user\":\"" + name + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("token").asText();
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

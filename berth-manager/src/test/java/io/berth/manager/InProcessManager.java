package io.berth.manager;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.store.StateStore;
import io.berth.store.StateStores;
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

/** A manager in this JVM on a SQLite store in {@code dir}, with no Docker endpoint, and an HTTP client for its API: the API tests' bench. */
public final class InProcessManager implements AutoCloseable {
  private final StateStore store;
  private final Manager manager;
  private final String adminToken;
  private final HttpClient http = HttpClient.newHttpClient();

  public InProcessManager(Path dir) throws Exception {
    store = StateStores.open("sqlite://" + dir.resolve("berth.db"));
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    manager = Manager.start(new ManagerConfig(any, any, null, dir.resolve("manager"), "sqlite://", Duration.ofSeconds(2), Duration.ofMillis(500),
        io.berth.core.scheduler.Strategy.SPREAD, io.berth.core.scheduler.Scheduler.FILTERS, null, null), store, Clock.systemUTC());
    adminToken = Files.readString(dir.resolve("manager").resolve("admin.token")).trim();
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

  /**
   * Calls the API: {@code token} null sends no credentials, one starting with {@code "Basic "} is sent as it is, any other
   * as a bearer token; {@code headers} are name, value pairs.
   */
  public HttpResponse<String> call(String token, String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manager.apiPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", token.startsWith("Basic ") ? token : "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Override
  public void close() {
    manager.close();
    store.close();
  }
}

package io.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hollow engine's Docker API over real sockets: shapes, statuses, messages and events. */
class FakeDockerServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  FakeEngine engine;
  FakeDockerServer.Listener server;
  String base;

  @BeforeEach
  void start() throws Exception {
    engine = FakeEngine.builder().name("hollow-1").cpus(4).memoryBytes(8L << 30).build();
    engine.addImage("berth/busybox:1");
    server = FakeDockerServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), engine);
    base = "http://127.0.0.1:" + server.port() + "/v1.41";
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void containersAreMadeListedInspectedStoppedAndRemovedAsByTheEngine() throws Exception {
    assertThat(get("/_ping").body()).isEqualTo("OK");
    assertThat(json(get("/info")).path("NCPU").asInt()).isEqualTo(4);
    HttpResponse<String> made = post("/containers/create?name=web",
        "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"sleep\",\"9\"],\"Labels\":{\"app\":\"shop\"},\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}}}");
    assertThat(made.statusCode()).isEqualTo(201);
    String id = json(made).path("Id").asText();
    assertThat(post("/containers/web/start", "").statusCode()).isEqualTo(204);
    assertThat(post("/containers/web/start", "").statusCode()).as("already running").isEqualTo(304);
    JsonNode list = json(get("/containers/json?filters=" + enc("{\"label\":{\"app=shop\":true}}")));
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("Names").get(0).asText()).isEqualTo("/web");
    assertThat(list.get(0).path("Ports").get(0).path("PublicPort").asInt()).isEqualTo(8080);
    assertThat(json(get("/containers/json?filters=" + enc("{\"label\":[\"app=other\"]}")))).isEmpty();
    JsonNode inspect = json(get("/containers/" + id.substring(0, 12) + "/json"));
    assertThat(inspect.path("State").path("Running").asBoolean()).isTrue();
    assertThat(inspect.path("Created").asText()).endsWith("Z");
    assertThat(delete("/containers/web").statusCode()).as("running, no force").isEqualTo(409);
    assertThat(post("/containers/web/stop", "").statusCode()).isEqualTo(204);
    assertThat(json(get("/containers/json"))).as("only running ones without all").isEmpty();
    assertThat(json(get("/containers/json?all=1")).get(0).path("State").asText()).isEqualTo("exited");
    assertThat(json(post("/containers/web/wait", "")).path("StatusCode").asInt()).isEqualTo(137);
    assertThat(delete("/containers/web").statusCode()).isEqualTo(204);
  }

  @Test
  void mistakesGetTheEnginesStatusesAndWords() throws Exception {
    HttpResponse<String> missing = post("/containers/create", "{\"Image\":\"nosuch:1\",\"Cmd\":[\"true\"]}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("message").asText()).isEqualTo("No such image: nosuch:1");
    assertThat(post("/containers/create", "{not json").statusCode()).isEqualTo(400);
    post("/containers/create?name=dup", "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"true\"]}");
    HttpResponse<String> clash = post("/containers/create?name=dup", "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"true\"]}");
    assertThat(clash.statusCode()).isEqualTo(409);
    assertThat(json(clash).path("message").asText()).contains("The container name \"/dup\" is already in use");
    HttpResponse<String> unknown = get("/containers/nosuch/json");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("message").asText()).isEqualTo("No such container: nosuch");
    HttpResponse<String> exec = post("/containers/dup/exec", "{}");
    assertThat(exec.statusCode()).isEqualTo(501);
    assertThat(json(exec).path("message").asText()).contains("does not implement POST /containers/dup/exec");
  }

  @Test
  void theEventStreamCarriesWhatHappensAfterItOpens() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(("GET /v1.41/events?filters=" + enc("{\"type\":[\"container\",\"image\"]}")
          + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      while (!in.readLine().isEmpty()) { /* headers */ }
      String id = json(post("/containers/create?name=ev", "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"true\"]}")).path("Id").asText();
      post("/containers/ev/start", "");
      in.readLine(); // chunk size
      JsonNode created = JSON.readTree(in.readLine());
      assertThat(created.path("Action").asText()).isEqualTo("create");
      assertThat(created.path("Actor").path("ID").asText()).isEqualTo(id);
      assertThat(created.path("Actor").path("Attributes").path("name").asText()).isEqualTo("ev");
      in.readLine(); // CRLF after the chunk
      in.readLine();
      assertThat(JSON.readTree(in.readLine()).path("Action").asText()).isEqualTo("start");
    }
  }

  @Test
  void oneConnectionServesRequestsInTurn() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      for (int i = 0; i < 3; i++) {
        s.getOutputStream().write("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      s.setSoTimeout(5000);
      StringBuilder all = new StringBuilder();
      byte[] buf = new byte[4096];
      while (all.toString().split("HTTP/1.1 200 OK", -1).length - 1 < 3 || !all.toString().endsWith("OK")) {
        int n = s.getInputStream().read(buf);
        if (n < 0) break;
        all.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      assertThat(all.toString().split("HTTP/1.1 200 OK", -1).length - 1).as("three answers on one connection").isEqualTo(3);
    }
  }

  @Test
  void logsAreFramedByStreamCutByTailAndFollowedUntilTheContainerStops() throws Exception {
    json(post("/containers/create?name=talk", "{\"Image\":\"berth/busybox:1\",\"Cmd\":[\"sleep\",\"9\"]}"));
    post("/containers/talk/start", "");
    engine.log("talk", false, "one");
    engine.log("talk", true, "oops");
    engine.log("talk", false, "two");
    HttpResponse<byte[]> all = http.send(HttpRequest.newBuilder(URI.create(base + "/containers/talk/logs?stdout=1&stderr=1")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(frames(new ByteArrayInputStream(all.body()), 9)).containsExactly("1:one\n", "2:oops\n", "1:two\n");
    HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(base + "/containers/talk/logs?stdout=1&tail=1")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(frames(new ByteArrayInputStream(tail.body()), 9)).as("the last stdout line").containsExactly("1:two\n");
    HttpResponse<InputStream> follow = http.send(
        HttpRequest.newBuilder(URI.create(base + "/containers/talk/logs?stdout=1&stderr=1&follow=1&tail=0")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = follow.body()) {
      engine.log("talk", false, "three");
      assertThat(frames(body, 1)).containsExactly("1:three\n");
      engine.exit("talk", 0);
      assertThat(body.read()).as("the stream ends with the container").isEqualTo(-1);
    }
  }

  /** Up to {@code max} frames of a multiplexed log, each as {@code STREAM:TEXT}. */
  private static List<String> frames(InputStream in, int max) throws Exception {
    List<String> out = new ArrayList<>();
    while (out.size() < max) {
      byte[] head = in.readNBytes(8);
      if (head.length < 8) break;
      int size = ((head[4] & 0xff) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff);
      out.add(head[0] + ":" + new String(in.readNBytes(size), StandardCharsets.UTF_8));
    }
    return out;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> delete(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

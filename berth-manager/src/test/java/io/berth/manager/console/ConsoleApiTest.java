package io.berth.manager.console;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.identity.Principal;
import io.berth.manager.http.ApiTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's routes over HTTP on an in-process manager: whoami's memberships, the change stream, containers, the operations counts. */
class ConsoleApiTest {
  static final String HELLO = """
      name: hello
      image: berth/busybox:1
      command: [httpd, -f, -p, "8080"]
      instances: 0
      ports: [8080]
      """;
  @RegisterExtension final ApiTestServer m = new ApiTestServer();
  final List<Thread> readers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    readers.forEach(Thread::interrupt);
  }

  void member(String app, String user, String role) throws Exception {
    HttpResponse<String> r = m.call(m.adminToken(), "PUT", "/v1/members/app/" + app + "/" + user, "{\"role\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Opens {@code GET /v1/stream} as {@code token} and collects its lines as they come. */
  List<String> stream(String token) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.manager().apiPort() + "/v1/stream"))
        .header("Authorization", "Bearer " + token).build();
    HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    Thread t = Thread.ofVirtual().start(() -> r.body().forEach(lines::add));
    readers.add(t);
    await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains(": ping"));
    return lines;
  }

  /** Scales once the first deploy (of no instances) has finished rolling out. */
  /**
   * Scales once the deploy's rollout is over: a scale during it is refused (409) and audited as a
   * failure, which the operation counts below would then see.
   */
  void scale(String token, String app, int n) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonNode phase = json(m.call(token, "GET", "/v1/apps/" + app, null)).path("rollout").path("phase");
      return phase.isMissingNode() || phase.isNull() || List.of("succeeded", "failed", "aborted").contains(phase.asText());
    });
    assertThat(m.call(token, "POST", "/v1/apps/" + app + "/scale", "{\"instances\":" + n + "}").statusCode()).isEqualTo(200);
  }

  static boolean has(List<String> lines, String kind, String name) {
    return lines.stream().anyMatch(l -> l.startsWith("data: ") && l.contains("\"kind\":\"" + kind + "\"") && l.contains("\"name\":\"" + name));
  }

  @Test
  void whoamiListsTheCallersMembershipsWithTheActionsTheirRoleAllows() throws Exception {
    String gail = m.signedIn("gail", "pw-gail-123");
    String rita = m.signedIn("rita", "pw-rita-123");
    assertThat(m.call(m.adminToken(), "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    member("hello", "gail", "guest");
    member("hello", "rita", "master");
    JsonNode g = json(m.call(gail, "GET", "/v1/whoami", null));
    assertThat(g.path("user").asText()).isEqualTo("gail");
    assertThat(g.path("admin").asBoolean()).isFalse();
    assertThat(g.path("memberships").toString()).isEqualTo("[{\"kind\":\"app\",\"name\":\"hello\",\"role\":\"guest\",\"actions\":[\"view\"]}]");
    JsonNode r = json(m.call(rita, "GET", "/v1/whoami", null));
    assertThat(r.path("memberships").get(0).path("actions").toString())
        .isEqualTo("[\"view\",\"read\",\"exec\",\"deploy\",\"scale\",\"alerts\",\"members\"]");
    JsonNode a = json(m.call(m.adminToken(), "GET", "/v1/whoami", null));
    assertThat(a.path("admin").asBoolean()).isTrue();
    assertThat(a.path("memberships").get(0).path("role").asText()).as("the first deploy made admin the owner").isEqualTo("owner");
    assertThat(m.call(null, "GET", "/v1/whoami", null).statusCode()).isEqualTo(401);
  }

  @Test
  void theStreamTellsEachCallerOnlyOfWhatTheyMaySee() throws Exception {
    String gail = m.signedIn("gail", "pw-gail-123"); // guest of hello: sees the app, may not read its instances
    String rory = m.signedIn("rory", "pw-rory-123"); // reporter of hello: reads it
    String nora = m.signedIn("nora", "pw-nora-123"); // no role anywhere
    HttpResponse<String> first = m.call(m.adminToken(), "POST", "/v1/apps", HELLO);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    member("hello", "gail", "guest");
    member("hello", "rory", "reporter");
    List<String> asAdmin = stream(m.adminToken());
    List<String> asGail = stream(gail);
    List<String> asRory = stream(rory);
    List<String> asNora = stream(nora);

    scale(m.adminToken(), "hello", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> has(asRory, "instance", "hello-v1/1") && has(asAdmin, "activity", "audit"));
    assertThat(has(asAdmin, "app", "hello")).isTrue();
    assertThat(has(asGail, "app", "hello")).as("a guest sees the app's row change").isTrue();
    assertThat(asAdmin).contains("event: change");
    Thread.sleep(200); // the same changes went to every stream at once; give the slower ones a moment
    assertThat(has(asGail, "instance", "hello")).as("a guest may not read instances").isFalse();
    assertThat(asNora.stream().filter(l -> l.contains("hello")).toList()).as("nothing of an app nora has no role in").isEmpty();
    assertThat(has(asRory, "activity", "audit")).as("the audit is for administrators").isFalse();
    String data = asRory.stream().filter(l -> l.startsWith("data: ") && l.contains("hello-v1/1")).findFirst().orElseThrow();
    JsonNode d = Json.MAPPER.readTree(data.substring(6));
    assertThat(d.path("app").asText()).isEqualTo("hello");
    assertThat(d.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void theStreamNeedsASignedInCaller() throws Exception {
    HttpResponse<String> r = m.call(null, "GET", "/v1/stream", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).path("name").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void aStreamPingsWhileIdleAndEndsWhenItsClientGoes() throws Exception {
    ChangeStream changes = new ChangeStream(m.store(), m.manager().access(), Clock.systemUTC(), Duration.ofMillis(50));
    changes.start();
    var out = new ByteArrayOutputStream() {
      volatile boolean gone;

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        if (gone) throw new UncheckedIOException(new IOException("broken pipe"));
        super.write(b, off, len);
      }
    };
    OutputStream client = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    };
    Thread serving = Thread.ofVirtual().start(() -> {
      try {
        changes.stream(Principal.adminToken()).writer().write(client);
      } catch (IOException e) {
        // the client went: how a stream normally ends
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> out.toString().split(": ping", -1).length > 3);
    assertThat(changes.clients()).isEqualTo(1);
    out.gone = true;
    serving.join(5_000);
    assertThat(serving.isAlive()).isFalse();
    assertThat(changes.clients()).isZero();
    changes.close();
  }

  @Test
  void containersNeedTheDockerEndpointAndASignedInCaller() throws Exception {
    String gail = m.signedIn("gail", "pw-gail-123");
    HttpResponse<String> off = m.call(gail, "GET", "/v1/containers", null);
    assertThat(off.statusCode()).isEqualTo(503);
    assertThat(json(off).path("message").asText()).contains("Docker endpoint, which is off");
    assertThat(m.call(null, "GET", "/v1/containers", null).statusCode()).isEqualTo(401);
  }

  @Test
  void operationsAreCountedPerDayFromTheAuditForAdministratorsOnly() throws Exception {
    String gail = m.signedIn("gail", "pw-gail-123");
    assertThat(m.call(m.adminToken(), "POST", "/v1/apps", HELLO).statusCode()).isEqualTo(201);
    scale(m.adminToken(), "hello", 2);
    assertThat(m.call(gail, "POST", "/v1/apps/hello/scale", "{\"instances\":3}").statusCode()).isEqualTo(403);
    assertThat(m.call(m.adminToken(), "POST", "/v1/apps/nope/scale", "{\"instances\":3}").statusCode()).isEqualTo(404);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> { // the audit is written once each answer has gone out
      JsonNode s = json(m.call(m.adminToken(), "GET", "/v1/stats/operations?days=3", null));
      assertThat(s.path("days")).hasSize(3);
      JsonNode last = s.path("days").get(2);
      assertThat(last.path("date").asText()).isEqualTo(today);
      assertThat(last.path("deploys").asInt()).isEqualTo(1);
      assertThat(last.path("scales").asInt()).isEqualTo(1);
      assertThat(last.path("sign_ins").asInt()).isEqualTo(1);
      assertThat(last.path("denied").asInt()).isEqualTo(1);
      assertThat(last.path("failures").asInt()).isEqualTo(1);
      assertThat(s.path("totals").path("scales").asInt()).isEqualTo(1);
      assertThat(s.path("days").get(0).path("deploys").asInt()).isZero();
    });
    HttpResponse<String> forGail = m.call(gail, "GET", "/v1/stats/operations", null);
    assertThat(forGail.statusCode()).isEqualTo(403);
    assertThat(json(forGail).path("message").asText()).contains("for administrators");
    HttpResponse<String> bad = m.call(m.adminToken(), "GET", "/v1/stats/operations?days=0", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("message").asText()).isEqualTo("days must be a number from 1 to 366: 0");
    assertThat(json(m.call(m.adminToken(), "GET", "/v1/stats/operations", null)).path("days")).hasSize(14);
  }
}

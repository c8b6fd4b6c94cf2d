package io.berth.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.manager.http.ApiTestServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/managers}, {@code /healthz} and {@code /v1/pulse} on a whole manager (SQLite: alone, always the leader). */
class ManagersApiTest {
  @RegisterExtension static final ApiTestServer m = new ApiTestServer();

  @Test
  void listsThisManagerAsTheLeaderToAnySignedInUser() throws Exception {
    String user = m.signedIn("ann", "correct horse battery");
    HttpResponse<String> r = m.call(user, "GET", "/v1/managers", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode managers = ApiTestServer.json(r);
    assertThat(managers).hasSize(1);
    JsonNode me = managers.get(0);
    List<String> fields = new ArrayList<>();
    me.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("name", "api", "cluster", "docker", "leader", "since", "version");
    assertThat(me.path("name").asText()).isEqualTo(m.manager().config().name());
    String host = m.manager().config().apiAddr().getAddress().getHostAddress(); // the bound IP, as agents name managers
    assertThat(me.path("api").asText()).isEqualTo("http://" + host + ":" + m.manager().apiPort());
    assertThat(me.path("cluster").asText()).isEqualTo(host + ":" + m.manager().clusterPort());
    assertThat(me.path("docker").isNull()).isTrue(); // this manager runs no Docker endpoint
    assertThat(me.path("leader").asBoolean()).isTrue();
    assertThat(me.path("since").asText()).isNotEmpty();
    assertThat(m.manager().leadership().isLeader()).isTrue();
    assertThat(m.manager().managers()).singleElement().extracting(rec -> rec.name()).isEqualTo(m.manager().config().name());
  }

  @Test
  void anonymousCallersMaySeeNoManagers() throws Exception {
    assertThat(m.call(null, "GET", "/v1/managers", null).statusCode()).isEqualTo(401);
  }

  @Test
  void healthSaysOkTheLeaderAndTheStore() throws Exception {
    HttpResponse<String> r = m.call(null, "GET", "/healthz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\nleader: " + m.manager().config().name() + "\nstore: 1 of 1 members answer\n");
  }

  @Test
  void thePulseStreamsNewlinesToAdministratorsSuchAsRoutersOnly() throws Exception {
    assertThat(m.call(null, "GET", "/v1/pulse", null).statusCode()).isEqualTo(401);
    assertThat(m.call(m.signedIn("bob", "correct horse battery"), "GET", "/v1/pulse", null).statusCode()).isEqualTo(403);
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(m.uri("/v1/pulse")).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + m.adminToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      try (InputStream body = r.body()) {
        assertThat(body.readNBytes(2)).containsExactly('\n', '\n'); // the second half a second after the first
      }
    }
  }
}

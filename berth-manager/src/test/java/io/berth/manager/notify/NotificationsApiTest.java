package io.berth.manager.notify;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.alert.AlertNotice;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/alerts/notifications} on a whole manager: the notifications its sink made, for administrators only. */
class NotificationsApiTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  @Test
  void administratorsReadTheNotificationsNewestFirst() throws Exception {
    Instant now = Instant.now();
    AlertNotice n = NotifyFixture.firing("web", "high-cpu", now, List.of(), List.of("oncall@example.com"));
    m.manager().notifications().deliver(n);
    JsonNode log = null;
    for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
      log = json(m.asAdmin("GET", "/v1/alerts/notifications?app=web", null));
      if (!log.isEmpty()) break;
    }
    assertThat(log).hasSize(1);
    assertThat(log.get(0).path("notice_id").asText()).isEqualTo(n.id());
    assertThat(log.get(0).path("receiver").asText()).isEqualTo("email oncall@example.com");
    assertThat(log.get(0).path("outcome").asText()).isEqualTo("rejected");
    assertThat(log.get(0).path("error").asText()).startsWith("no SMTP server: start the manager with --smtp");
    assertThat(json(m.asAdmin("GET", "/v1/alerts/notifications?app=db", null))).isEmpty();

    HttpResponse<String> alice = m.call(m.signedIn("alice", "correct horse"), "GET", "/v1/alerts/notifications", null);
    assertThat(alice.statusCode()).isEqualTo(403);
    HttpResponse<String> bad = m.asAdmin("GET", "/v1/alerts/notifications?limit=0", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("message").asText()).isEqualTo("limit must be a number from 1 to 1000: 0");
  }
}

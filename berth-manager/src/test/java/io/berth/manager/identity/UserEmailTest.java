package io.berth.manager.identity;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's e-mail address: set at creation or later, by the user or an administrator, and checked. */
class UserEmailTest {
  @RegisterExtension final ApiTestServer m = new ApiTestServer();

  @Test
  void anAddressIsSetAtCreationChangedByItsUserAndListed() throws Exception {
    HttpResponse<String> created = m.call(m.adminToken(), "POST", "/v1/users",
        "{\"name\":\"alice\",\"password\":\"correct horse\",\"email\":\" alice@example.com \"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(json(created).path("email").asText()).isEqualTo("alice@example.com");
    String alice = json(m.call(null, "POST", "/v1/login", "{\"user\":\"alice\",\"password\":\"correct horse\"}")).path("token").asText();

    HttpResponse<String> changed = m.call(alice, "PUT", "/v1/users/alice/email", "{\"email\":\"a@ops.example.org\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(m.manager().access().users().find("alice").orElseThrow().email()).isEqualTo("a@ops.example.org");
    assertThat(json(m.call(m.adminToken(), "GET", "/v1/users", null)).toString()).contains("\"email\":\"a@ops.example.org\"");

    assertThat(m.call(alice, "PUT", "/v1/users/alice/email", "{\"email\":\"\"}").statusCode()).isEqualTo(200);
    assertThat(m.manager().access().users().find("alice").orElseThrow().email()).isNull();
  }

  @Test
  void aMalformedAddressOrAnotherUsersIsRefused() throws Exception {
    HttpResponse<String> bad = m.call(m.adminToken(), "POST", "/v1/users",
        "{\"name\":\"bob\",\"password\":\"correct horse\",\"email\":\"bob@example.com\\r\\nBcc: x@evil.example\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("message").asText()).startsWith("not an e-mail address (expected name@example.com)");
    assertThat(m.manager().access().users().find("bob")).isEmpty();

    m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"bob\",\"password\":\"correct horse\"}");
    m.call(m.adminToken(), "POST", "/v1/users", "{\"name\":\"carol\",\"password\":\"correct horse\"}");
    String bob = json(m.call(null, "POST", "/v1/login", "{\"user\":\"bob\",\"password\":\"correct horse\"}")).path("token").asText();
    HttpResponse<String> other = m.call(bob, "PUT", "/v1/users/carol/email", "{\"email\":\"c@example.com\"}");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(m.call(bob, "PUT", "/v1/users/bob/email", "{\"email\":\"no-at-sign\"}").statusCode()).isEqualTo(400);
    assertThat(m.manager().access().users().find("bob").orElseThrow().email()).isNull();
  }
}

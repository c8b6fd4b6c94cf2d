package io.berth.cli;

import static io.berth.cli.FakeApi.withStdin;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code berth user create --email} and {@code berth user edit --email}: where alert notifications reach a user. */
class UserEmailCommandTest {
  final FakeApi api = new FakeApi();

  UserEmailCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void createSendsTheAddress() throws Exception {
    api.on("POST /v1/users", 201, "{\"name\": \"bob\", \"admin\": false}");
    FakeApi.Result r = withStdin("pw pw pw\n", () -> api.berth("user", "create", "bob", "--email", "bob@example.com", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Json.MAPPER.readTree(api.calls("POST", "/v1/users").get(0).body()).path("email").asText()).isEqualTo("bob@example.com");
  }

  @Test
  void editSetsOrRemovesTheAddress() throws Exception {
    api.on("PUT /v1/users/bob/email", 200, "{\"name\": \"bob\", \"email\": \"b@example.com\"}");
    assertThat(api.ok("user", "edit", "bob", "--email", "b@example.com").out()).isEqualTo("set the e-mail address of bob to b@example.com\n");
    assertThat(api.ok("user", "edit", "bob", "--email", "").out()).isEqualTo("removed the e-mail address of bob\n");
    assertThat(Json.MAPPER.readTree(api.calls("PUT", "/v1/users/bob/email").get(0).body()).path("email").asText()).isEqualTo("b@example.com");
    assertThat(Json.MAPPER.readTree(api.calls("PUT", "/v1/users/bob/email").get(1).body()).path("email").isNull()).isTrue();
  }
}

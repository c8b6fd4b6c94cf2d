package io.berth.cli;

import static io.berth.cli.FakeApi.withStdin;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserTokenCommandTest {
  static final String TOKEN = "bt_c0ffee12_a1b2c3d4e5f6_t0k3n-s3cr3t";

  final FakeApi api = new FakeApi();

  UserTokenCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  static String ago(Duration d) {
    return Instant.now().minus(d).toString();
  }

  @Test
  void userCreateSendsThePasswordFromStdinAndNeverPrintsIt() throws Exception {
    api.on("POST /v1/users", 201, "{\"name\": \"bob\", \"admin\": true}");
    FakeApi.Result r = withStdin("hunter2 hunter2\n", () -> api.berth("user", "create", "bob", "--admin", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("created user bob (administrator)\n");
    assertThat(r.out() + r.err()).doesNotContain("hunter2");
    FakeApi.Call call = api.calls("POST", "/v1/users").get(0);
    assertThat(Json.MAPPER.readTree(call.body()))
        .isEqualTo(Json.MAPPER.readTree("{\"name\": \"bob\", \"password\": \"hunter2 hunter2\", \"admin\": true}"));
    assertThat(call.authorization()).isEqualTo("Bearer secret");
  }

  @Test
  void userCreateWithoutATerminalOrStdinSendsNothing() {
    FakeApi.Result r = api.berth("user", "create", "bob");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth user create: no terminal to type the password at: give it on standard input with --password-stdin\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aRefusalIsTheManagersSentence() {
    api.on("POST /v1/users", 403, "{\"name\": \"Forbidden\", \"message\": \"alice may not create users: only administrators may\"}");
    FakeApi.Result r = withStdin("pw\n", () -> api.berth("user", "create", "bob", "--password-stdin"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth user create: alice may not create users: only administrators may (HTTP 403)\n");
  }

  @Test
  void userLsIsATable() {
    api.on("GET /v1/users", "[{\"name\": \"admin\", \"admin\": true, \"created_at\": \"" + ago(Duration.ofDays(3)) + "\", \"created_by\": null},"
        + "{\"name\": \"alice\", \"admin\": false, \"created_at\": \"" + ago(Duration.ofMinutes(5)) + "\", \"created_by\": \"admin\"}]");
    FakeApi.Result r = api.ok("user", "ls");
    assertThat(r.out()).isEqualTo("""
        NAME    ADMIN   CREATED   CREATED_BY   EMAIL
        admin   yes     3d ago    -            -
        alice   no      5m ago    admin        -
        """);
    assertThat(api.berth("user", "ls", "--json").out()).contains("\"created_by\" : \"admin\"");
  }

  @Test
  void userRmNamesOnePathSegment() {
    api.on("DELETE /v1/users/bob%2F..", 204, "");
    FakeApi.Result r = api.ok("user", "rm", "bob/..");
    assertThat(r.out()).isEqualTo("removed user bob/..\n");
  }

  @Test
  void passwdWithoutANameChangesYourOwn() throws Exception {
    api.on("GET /v1/whoami", "{\"user\": \"alice\", \"admin\": false, \"via\": \"token\"}");
    api.on("PUT /v1/users/alice/password", 204, "");
    FakeApi.Result r = withStdin("n3w\n", () -> api.berth("user", "passwd", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("changed the password of alice\n");
    assertThat(Json.MAPPER.readTree(api.calls("PUT", "/v1/users/alice/password").get(0).body()))
        .isEqualTo(Json.MAPPER.readTree("{\"password\": \"n3w\"}"));
  }

  @Test
  void passwdOfAnotherUser() {
    api.on("PUT /v1/users/bob/password", 204, "");
    FakeApi.Result r = withStdin("n3w", () -> api.berth("user", "passwd", "bob", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.calls("GET", "/v1/whoami")).isEmpty();
    assertThat(api.calls("PUT", "/v1/users/bob/password").get(0).body()).isEqualTo("{\"password\":\"n3w\"}");
  }

  @Test
  void tokenCreatePrintsTheTokenAloneOnStdoutOnce() throws Exception {
    api.on("POST /v1/tokens", 201, "{\"id\": \"a1b2c3d4e5f6\", \"name\": \"ci\", \"user\": \"alice\", \"token\": \"" + TOKEN + "\","
        + " \"created_at\": \"" + Instant.now() + "\", \"expires_at\": \"" + Instant.now().plus(Duration.ofDays(30)) + "\"}");
    FakeApi.Result r = api.ok("token", "create", "--name", "ci", "--expires", "30d");
    assertThat(r.out()).isEqualTo(TOKEN + "\n");
    assertThat(r.err()).isEqualTo("token a1b2c3d4e5f6 (ci) for alice, expires in 30d; it is shown only this once\n");
    assertThat(Json.MAPPER.readTree(api.calls("POST", "/v1/tokens").get(0).body()))
        .isEqualTo(Json.MAPPER.readTree("{\"name\": \"ci\", \"expires_in\": \"30d\"}"));

    r = api.berth("token", "create");
    assertThat(api.calls("POST", "/v1/tokens").get(1).body()).isEqualTo("{}");
  }

  @Test
  void tokenLsShowsEveryTokenButNeverItsText() {
    api.on("GET /v1/tokens", "[{\"id\": \"a1b2c3d4e5f6\", \"name\": \"ci\", \"user\": \"alice\", \"kind\": \"api\", \"created_at\": \""
        + ago(Duration.ofHours(2)) + "\", \"expires_at\": \"" + Instant.now().plus(Duration.ofDays(10)) + "\", \"revoked\": false},"
        + "{\"id\": \"0123456789ab\", \"name\": null, \"user\": \"alice\", \"kind\": \"session\", \"created_at\": \"" + ago(Duration.ofHours(30))
        + "\", \"expires_at\": \"" + ago(Duration.ofHours(18)) + "\", \"revoked\": false},"
        + "{\"id\": \"ffffffffffff\", \"name\": \"old\", \"user\": \"bob\", \"kind\": \"api\", \"created_at\": \"" + ago(Duration.ofDays(5))
        + "\", \"expires_at\": \"" + Instant.now().plus(Duration.ofDays(25)) + "\", \"revoked\": true}]");
    FakeApi.Result r = api.ok("token", "ls");
    assertThat(r.out()).isEqualTo("""
        ID             NAME   USER    KIND      CREATED   EXPIRES
        a1b2c3d4e5f6   ci     alice   api       2h ago    in 10d
        0123456789ab   -      alice   session   30h ago   expired 18h ago
        ffffffffffff   old    bob     api       5d ago    revoked
        """);
  }

  @Test
  void tokenLsOfOneUserAndRevoke() {
    api.on("GET /v1/tokens?user=bob", "[]");
    api.on("DELETE /v1/tokens/a1b2c3d4e5f6", 204, "");
    assertThat(api.berth("token", "ls", "--user", "bob").out()).isEqualTo("ID   NAME   USER   KIND   CREATED   EXPIRES\n");
    FakeApi.Result r = api.ok("token", "revoke", "a1b2c3d4e5f6");
    assertThat(r.out()).isEqualTo("revoked token a1b2c3d4e5f6\n");
  }

  @Test
  void missingSubcommandsAreUsageErrors() {
    assertThat(FakeApi.run("user").exit()).isEqualTo(2);
    assertThat(FakeApi.run("user").err()).startsWith("berth user: missing a command: create, ls, edit, rm or passwd\n");
    assertThat(FakeApi.run("token").err()).startsWith("berth token: missing a command: create, ls or revoke\n");
  }
}

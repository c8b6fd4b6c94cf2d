package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandsTest {
  static final String SESSION = "bt_c0ffee12_0123456789ab_s3ss10n-s3cr3t";
  static final String EXPIRES = "2099-01-01T00:00:00Z";

  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  LoginCommandsTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  FakeApi.Result login(String password, String... more) {
    String[] args = new String[5 + more.length];
    System.arraycopy(new String[] {"login", "--api", api.url(), "--data", dir.toString()}, 0, args, 0, 5);
    System.arraycopy(more, 0, args, 5, more.length);
    return FakeApi.withStdin(password, () -> FakeApi.run(args));
  }

  /** Runs a client command against the fake API with the data dir but no --token, so the precedence decides. */
  FakeApi.Result client(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    System.arraycopy(new String[] {"--api", api.url(), "--data", dir.toString()}, 0, full, args.length, 4);
    return FakeApi.run(full);
  }

  void loggedIn() {
    api.on("POST /v1/login", "{\"token\": \"" + SESSION + "\", \"user\": \"alice\", \"admin\": false, \"expires_at\": \"" + EXPIRES + "\"}");
    assertThat(login("pw\n", "-u", "alice", "--password-stdin").exit()).isZero();
  }

  @Test
  void loginReadsThePasswordFromStdinAndKeepsTheSessionWhereOnlyItsOwnerCanReadIt() throws Exception {
    api.on("POST /v1/login", "{\"token\": \"" + SESSION + "\", \"user\": \"alice\", \"admin\": false, \"expires_at\": \"" + EXPIRES + "\"}");
    FakeApi.Result r = login("correct horse\n", "-u", "alice", "--password-stdin");
    assertThat(r.exit()).as(r.err()).isZero();
    Path file = dir.resolve("login.json");
    assertThat(r.out()).isEqualTo("logged in to " + api.url() + " as alice until " + EXPIRES + "; the session is kept in " + file + "\n");
    assertThat(r.out() + r.err()).doesNotContain(SESSION).doesNotContain("correct horse");

    FakeApi.Call call = api.calls("POST", "/v1/login").get(0);
    assertThat(call.authorization()).isNull();
    assertThat(Json.MAPPER.readTree(call.body())).isEqualTo(Json.MAPPER.readTree("{\"user\": \"alice\", \"password\": \"correct horse\"}"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    JsonNode saved = Json.MAPPER.readTree(file.toFile());
    assertThat(saved).isEqualTo(Json.MAPPER.readTree(
        "{\"api\": \"" + api.url() + "\", \"user\": \"alice\", \"token\": \"" + SESSION + "\", \"expires_at\": \"" + EXPIRES + "\"}"));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temp file left beside it
    }
  }

  @Test
  void loginKeepsAWindowsLineEndOutOfThePasswordAndMakesTheDataDirPrivate() throws Exception {
    api.on("POST /v1/login", "{\"token\": \"" + SESSION + "\", \"user\": \"root\", \"admin\": true, \"expires_at\": \"" + EXPIRES + "\"}");
    Path fresh = dir.resolve("home/.berth");
    FakeApi.Result r = FakeApi.withStdin("pw\r\n", () -> FakeApi.run("login", "--api", api.url(), "--data", fresh.toString(), "-u", "root", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("logged in to " + api.url() + " as root (administrator) until ");
    assertThat(api.calls("POST", "/v1/login").get(0).body()).contains("\"password\":\"pw\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
  }

  @Test
  void aRefusedLoginIsTheManagersSentenceAndKeepsNothing() {
    api.on("POST /v1/login", 401, "{\"name\": \"Unauthorized\", \"message\": \"wrong user or password\"}");
    FakeApi.Result r = login("nope\n", "-u", "alice", "--password-stdin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth login: wrong user or password (HTTP 401)\n");
    assertThat(dir.resolve("login.json")).doesNotExist();

    api.on("POST /v1/login", 429, "{\"name\": \"TooManyAttempts\", \"message\": \"too many failed sign-ins for alice from 127.0.0.1; try again in 8 s\"}");
    r = login("nope\n", "-u", "alice", "--password-stdin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth login: too many failed sign-ins for alice from 127.0.0.1; try again in 8 s (HTTP 429)\n");
  }

  @Test
  void loginNeedsAPasswordFromSomewhere() {
    FakeApi.Result r = login("", "-u", "alice", "--password-stdin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth login: the password is empty\n");

    r = login("pw\n", "--password-stdin");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("berth login: --password-stdin needs -u USER\n");

    // The tests' standard streams are pipes, not a terminal: there is nowhere to type a password without echo.
    r = login("pw\n", "-u", "alice");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth login: no terminal to type the password at: give it on standard input with --password-stdin\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void laterCommandsCallAsTheLoggedInUser() {
    loggedIn();
    api.on("GET /v1/whoami", "{\"user\": \"alice\", \"admin\": false, \"via\": \"token\"}");
    FakeApi.Result r = client("whoami");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        USER    alice
        ADMIN   no
        VIA     token
        API     %s
        TOKEN   %s (alice)
        """.formatted(api.url(), dir.resolve("login.json")));
    assertThat(api.calls("GET", "/v1/whoami").get(0).authorization()).isEqualTo("Bearer " + SESSION);

    // The same API written with a trailing slash is the same API.
    assertThat(FakeApi.run("whoami", "--api", api.url() + "/", "--data", dir.toString()).exit()).isZero();
    assertThat(api.calls("GET", "/v1/whoami").get(1).authorization()).isEqualTo("Bearer " + SESSION);

    // --token comes before the login.
    r = client("whoami", "--token", "bt_c0ffee12_ffffffffffff_other");
    assertThat(r.out()).contains("TOKEN   --token\n");
    assertThat(api.calls("GET", "/v1/whoami").get(2).authorization()).isEqualTo("Bearer bt_c0ffee12_ffffffffffff_other");
  }

  @Test
  void whoamiJsonIsTheApisAnswer() {
    api.on("GET /v1/whoami", "{\"user\": \"admin\", \"admin\": true, \"via\": \"admin-token\"}");
    FakeApi.Result r = api.ok("whoami", "--json");
    assertThat(r.out()).contains("\"via\" : \"admin-token\"");
  }

  @Test
  void aTokenFlagOrBerthTokenComesBeforeTheLogin() throws Exception {
    Files.writeString(dir.resolve("admin.token"), "adm1n\n");
    LoginFile.write(dir, new LoginFile.Login("http://m:8080", "alice", SESSION, null));
    Instant now = Instant.parse("2026-12-02T00:00:00Z");
    assertThat(ClientOptions.credential("flag", "env", "http://m:8080", dir, now)).isEqualTo(new ClientOptions.Credential("flag", "--token"));
    assertThat(ClientOptions.credential(null, "env", "http://m:8080", dir, now)).isEqualTo(new ClientOptions.Credential("env", "$BERTH_TOKEN"));
    assertThat(ClientOptions.credential(" ", "", "http://M:8080/", dir, now))
        .isEqualTo(new ClientOptions.Credential(SESSION, dir.resolve("login.json") + " (alice)"));
    // A login for another manager is not sent to this one: its admin.token is used.
    assertThat(ClientOptions.credential(null, null, "http://other:8080", dir, now))
        .isEqualTo(new ClientOptions.Credential("adm1n", dir.resolve("admin.token").toString()));
    LoginFile.delete(dir);
    assertThat(ClientOptions.credential(null, null, "http://m:8080", dir, now).token()).isEqualTo("adm1n");
    // The credential never prints its token.
    assertThat(ClientOptions.credential(null, null, "http://m:8080", dir, now).toString()).doesNotContain("adm1n");
  }

  @Test
  void anExpiredLoginIsAnErrorNotAQuietFallBackToTheAdminToken() throws Exception {
    Files.writeString(dir.resolve("admin.token"), "adm1n\n");
    LoginFile.write(dir, new LoginFile.Login("http://m:8080", "alice", SESSION, Instant.parse("2026-12-01T12:00:00Z")));
    assertThatThrownBy(() -> ClientOptions.credential(null, null, "http://m:8080", dir, Instant.parse("2026-12-02T00:00:00Z")))
        .hasMessage("the login to http://m:8080 as alice expired at 2026-12-01T12:00:00Z: run 'berth login' again (or 'berth logout' to stop using it)");
  }

  @Test
  void withNoCredentialAtAllTheErrorSaysHowToGetOne() {
    FakeApi.Result r = client("whoami");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth whoami: no API token: run 'berth login', give --token (or BERTH_TOKEN), or run where "
        + dir.resolve("admin.token") + " is readable\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aBrokenLoginFileIsNamedAndLogoutRemovesIt() throws Exception {
    Files.writeString(dir.resolve("login.json"), "{not json");
    FakeApi.Result r = client("whoami");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("berth whoami: cannot read " + dir.resolve("login.json") + ": ").endsWith("; 'berth logout' removes it\n");
    r = FakeApi.run("logout", "--data", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("removed " + dir.resolve("login.json") + "\n");
    assertThat(dir.resolve("login.json")).doesNotExist();
  }

  @Test
  void logoutRevokesTheSessionAndForgetsIt() {
    loggedIn();
    api.on("DELETE /v1/tokens/0123456789ab", 204, "");
    FakeApi.Result r = FakeApi.run("logout", "--data", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("logged out of " + api.url() + " (alice); session revoked\n");
    assertThat(api.calls("DELETE", "/v1/tokens/0123456789ab").get(0).authorization()).isEqualTo("Bearer " + SESSION);
    assertThat(dir.resolve("login.json")).doesNotExist();

    r = FakeApi.run("logout", "--data", dir.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("not logged in: there is no " + dir.resolve("login.json") + "\n");
  }

  @Test
  void logoutForgetsTheSessionEvenWhenTheManagerCannotBeTold() {
    loggedIn();
    api.on("DELETE /v1/tokens/0123456789ab", 401, "{\"name\": \"Unauthorized\", \"message\": \"token 0123456789ab was revoked at 2026-12-01T23:00:00Z\"}");
    FakeApi.Result r = FakeApi.run("logout", "--data", dir.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("logged out of " + api.url() + " (alice)\n");
    assertThat(r.err()).isEqualTo("berth logout: the session could not be revoked on the manager: "
        + "token 0123456789ab was revoked at 2026-12-01T23:00:00Z (HTTP 401)\n");
    assertThat(dir.resolve("login.json")).doesNotExist();
  }
}

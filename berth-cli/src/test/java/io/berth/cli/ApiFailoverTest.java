package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --api and BERTH_API with several managers: the next is tried only when one cannot be reached. */
class ApiFailoverTest {
  static final String DEAD = "http://127.0.0.1:1";
  static final String WHOAMI = "{\"user\": \"alice\", \"admin\": false, \"via\": \"token\"}";
  final FakeApi first = new FakeApi();
  final FakeApi second = new FakeApi();
  @TempDir Path dir;

  ApiFailoverTest() throws Exception {}

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  private FakeApi.Result whoami(String api, String... token) {
    return FakeApi.run("whoami", "--api", api, "--data", dir.toString(), "--token", token.length == 0 ? "bt_c0ffee12_0123456789ab_x" : token[0]);
  }

  @Test
  void aManagerThatCannotBeReachedPassesTheCallToTheNext() {
    second.on("GET /v1/whoami", WHOAMI);
    FakeApi.Result r = whoami(DEAD + "," + second.url());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("USER    alice");
    assertThat(second.calls("GET", "/v1/whoami")).hasSize(1);
  }

  @Test
  void anHttpErrorIsTheAnswerAndTheNextManagerIsNotAsked() {
    first.on("GET /v1/whoami", 401, "{\"name\": \"Unauthorized\", \"message\": \"invalid token\"}");
    second.on("GET /v1/whoami", WHOAMI);
    FakeApi.Result r = whoami(first.url() + "," + second.url());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth whoami: invalid token (HTTP 401)\n");
    assertThat(second.calls).isEmpty();
  }

  @Test
  void whenNoneCanBeReachedTheErrorNamesEachAndAMalformedEntryIsNamed() {
    FakeApi.Result r = whoami(DEAD + ",http://127.0.0.1:2");
    assertThat(r.err()).isEqualTo("berth whoami: cannot reach any manager: cannot reach the manager at http://127.0.0.1:1: connection refused"
        + " (is it running?); cannot reach the manager at http://127.0.0.1:2: connection refused (is it running?)\n");
    r = whoami(second.url() + ",127.0.0.1:8080");
    assertThat(r.err()).isEqualTo("berth whoami: --api takes http:// or https:// URLs such as http://10.0.0.1:8080, not '127.0.0.1:8080'\n");
  }

  @Test
  void aLoginThroughAListServesEveryManagerOfIt() {
    second.on("POST /v1/login", "{\"token\": \"" + LoginCommandsTest.SESSION + "\", \"user\": \"alice\", \"admin\": false}");
    String both = DEAD + "," + second.url();
    FakeApi.Result r = FakeApi.withStdin("pw\n", () -> FakeApi.run("login", "--api", both, "--data", dir.toString(), "-u", "alice", "--password-stdin"));
    assertThat(r.exit()).as(r.err()).isZero();
    second.on("GET /v1/whoami", WHOAMI);
    assertThat(FakeApi.run("whoami", "--api", second.url(), "--data", dir.toString()).exit()).isZero();
    assertThat(second.calls("GET", "/v1/whoami").get(0).authorization()).isEqualTo("Bearer " + LoginCommandsTest.SESSION);
  }
}

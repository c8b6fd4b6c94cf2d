package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppCommandTest extends AppFixture {
  AppCommandTest() throws Exception {}

  @Test
  void scalePostsTheCountAndFollowsIt() {
    api.on("POST /v1/apps/hello/scale", status("scale", 2, "progressing", 3, 0, "3 of 5 instances healthy")
        .replace("\"target\": 3", "\"target\": 5").replace("\"from\": [1]", "\"from\": [2]"));
    api.on("GET /v1/apps/hello", status("scale", 2, "succeeded", 5, 0, "").replace("\"from\": [1]", "\"from\": [2]"));
    FakeApi.Result r = api.ok("app", "scale", "hello", "5");
    assertThat(api.calls("POST", "/v1/apps/hello/scale").get(0).body()).isEqualTo("{\"instances\":5}");
    assertThat(r.out()).isEqualTo("hello v2 (scale): 3/5 healthy\nhello v2 scaled: 5 instances healthy\n");
    assertThat(api.berth("app", "scale", "hello", "-1").exit()).isEqualTo(2);
  }

  @Test
  void rollbackSendsTheVersionAskedFor() {
    String back = status("rollback", 1, "progressing", 1, 2, "").replace("\"from\": [1]", "\"from\": [2]");
    api.on("POST /v1/apps/hello/rollback", back);
    api.on("GET /v1/apps/hello", status("rollback", 1, "succeeded", 3, 0, "").replace("\"from\": [1]", "\"from\": [2]"));
    FakeApi.Result r = api.ok("app", "rollback", "hello", "--to", "v2");
    assertThat(r.out()).isEqualTo("hello v1 (rollback): 1/3 new healthy, 2 old remaining\nhello rolled back to v1: 3 instances healthy\n");
    assertThat(api.berth("app", "rollback", "hello", "--to", "3", "--detach").exit()).isZero();
    assertThat(api.berth("app", "rollback", "hello", "-d").exit()).isZero();
    assertThat(api.calls("POST", "/v1/apps/hello/rollback")).extracting(FakeApi.Call::body)
        .containsExactly("{\"to\":2}", "{\"to\":3}", "{}");
    FakeApi.Result bad = api.usageError("app", "rollback", "hello", "--to", "latest");
    assertThat(bad.err()).startsWith("berth app rollback: Invalid value for option '--to': a version is v1, v2 … (or 1, 2 …), not 'latest'");
  }

  @Test
  void promoteFollowsTheRestOfTheRollout() {
    api.on("POST /v1/apps/hello/promote", status("promote", 2, "progressing", 1, 2, ""));
    api.on("GET /v1/apps/hello", status("promote", 2, "progressing", 2, 1, ""), status("promote", 2, "succeeded", 3, 0, ""));
    FakeApi.Result r = api.ok("app", "promote", "hello");
    assertThat(r.out()).isEqualTo("""
        hello v2 (promote): 1/3 new healthy, 2 old remaining
        hello v2 (promote): 2/3 new healthy, 1 old remaining
        hello v2 deployed: 3 instances healthy
        """);
    assertThat(api.calls("POST", "/v1/apps/hello/promote").get(0).body()).isEmpty();
    api.on("POST /v1/apps/hello/promote", 409, "{\"name\": \"NoCanary\", \"message\": \"hello has no canary waiting\"}");
    assertThat(api.berth("app", "promote", "hello").err()).isEqualTo("berth app promote: hello has no canary waiting (HTTP 409)\n");
  }

  @Test
  void abortEndsWellWhenTheRolloutIsAborted() {
    api.on("POST /v1/apps/hello/abort", status("deploy", 2, "canary", 1, 3, ""));
    api.on("GET /v1/apps/hello", status("deploy", 2, "aborted", 0, 3, "aborted by admin; v1 serves"));
    FakeApi.Result r = api.ok("app", "abort", "hello");
    assertThat(r.out()).isEqualTo("hello v2 (rolling): 1/3 new healthy, 3 old remaining\nhello v2 aborted: aborted by admin; v1 serves\n");
  }

  @Test
  void rmDeletesTheApp() {
    api.on("DELETE /v1/apps/hello", 204, "");
    FakeApi.Result r = api.ok("app", "rm", "hello");
    assertThat(r.out()).isEqualTo("removed app hello\n");
    assertThat(api.calls("DELETE", "/v1/apps/hello")).hasSize(1);
  }

  @Test
  void aNameCannotEscapeItsPathSegment() {
    api.on("DELETE /v1/apps/..%2Fusers", 204, "");
    assertThat(api.berth("app", "rm", "../users").exit()).isZero();
  }

  @Test
  void usageErrorsExitTwo() {
    FakeApi.Result r = FakeApi.run("app");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("berth app: missing a command: deploy, ls, status, ps, history, events, logs, scale, autoscale, rollback, promote, abort or rm\n");
    assertThat(api.berth("app", "deploy").err()).startsWith("berth app deploy: Missing required option: '--file=FILE|-'");
    assertThat(api.berth("app", "deploy", "-f", "x.yml", "--imgae", "b").err()).startsWith("berth app deploy: Unknown options: '--imgae', 'b'\n");
    assertThat(api.berth("app", "status").exit()).isEqualTo(2);
    assertThat(api.calls).isEmpty();
  }
}

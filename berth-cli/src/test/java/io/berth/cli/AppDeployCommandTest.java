package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AppDeployCommandTest extends AppFixture {
  AppDeployCommandTest() throws Exception {}

  @Test
  void deployPostsTheManifestAsWrittenAndFollowsTheRolloutToItsEnd() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", rolling(1, 2), rolling(1, 2), rolling(2, 1),
        status("deploy", 2, "succeeded", 3, 0, "3 of 3 new instances healthy"));
    FakeApi.Result r = api.ok("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.out()).isEqualTo("""
        hello v2 (rolling): 0/3 new healthy, 3 old remaining
        hello v2 (rolling): 1/3 new healthy, 2 old remaining
        hello v2 (rolling): 2/3 new healthy, 1 old remaining
        hello v2 deployed: 3 instances healthy
        """);
    FakeApi.Call post = api.calls("POST", "/v1/apps").get(0);
    assertThat(post.body()).isEqualTo(MANIFEST);
    assertThat(post.contentType()).isEqualTo("application/yaml");
    assertThat(post.authorization()).isEqualTo("Bearer secret");
    assertThat(api.calls("GET", "/v1/apps/hello")).hasSize(4);
  }

  @Test
  void aFailedRolloutExitsOneWithItsMessageAndTheVersionItWentBackTo() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", rolling(1, 2),
        status("deploy", 2, "failed", 1, 3, "hello-v2/1 crashed 3 times: exit status 1"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("""
        hello v2 (rolling): 0/3 new healthy, 3 old remaining
        hello v2 (rolling): 1/3 new healthy, 2 old remaining
        """);
    assertThat(r.err()).isEqualTo("berth app deploy: hello v2 failed: hello-v2/1 crashed 3 times: exit status 1 — rolled back to v1\n");
  }

  @Test
  void aCanaryStopsTheWatchWithWhatToDoNext() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "progressing", 0, 3, "starting 1 canary")
        .replace("\"rolling\"", "\"canary\"").replace("\"target\": 3", "\"target\": 1"));
    api.on("GET /v1/apps/hello", status("deploy", 2, "canary", 1, 3, "1 canary healthy; waiting for promote or abort")
        .replace("\"rolling\"", "\"canary\"").replace("\"target\": 3", "\"target\": 1"));
    FakeApi.Result r = api.ok("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.out()).isEqualTo("""
        hello v2 (canary): starting 1 canary
        hello v2: 1 canary running beside v1; berth app promote hello | berth app abort hello
        """);
  }

  @Test
  void imageReplacesTheManifestsImageAndIsSentAsJson() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    FakeApi.Result r = api.ok("app", "deploy", "-f", file("app.yml", MANIFEST).toString(), "--image", "berth/busybox:2");
    assertThat(r.out()).isEqualTo("hello v2 deployed: 3 instances healthy\n");
    FakeApi.Call post = api.calls("POST", "/v1/apps").get(0);
    assertThat(post.contentType()).isEqualTo("application/json");
    assertThat(Json.MAPPER.readTree(post.body())).isEqualTo(Json.MAPPER.readTree("""
        {"name": "hello", "image": "berth/busybox:2", "instances": 3, "routes": ["hello.berth.local"]}"""));
    // The rollout had ended in the manager's first answer: nothing to poll.
    assertThat(api.calls("GET", "/v1/apps/hello")).isEmpty();
  }

  @Test
  void aManifestOfOnlyNameAndImageIsSentForTheManagerToComplete() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    Path f = file("image.yml", "name: hello\nimage: berth/busybox:1\n");
    FakeApi.Result r = api.ok("app", "deploy", "-f", f.toString(), "--image", "berth/busybox:2", "--detach");
    assertThat(r.out()).isEqualTo("hello v2 (rolling): 0/3 new healthy, 3 old remaining; berth app status hello\n");
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo("{\"name\":\"hello\",\"image\":\"berth/busybox:2\"}");
    assertThat(api.calls("GET", "/v1/apps/hello")).isEmpty();
  }

  @Test
  void deployReadsStandardInput() {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    FakeApi.Result r = FakeApi.withStdin(MANIFEST, () -> api.berth("app", "deploy", "-f", "-"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo(MANIFEST);
  }

  @Test
  void dryRunOnlyHasTheManagerCheckIt() throws Exception {
    api.on("POST /v1/apps?dry_run=true", 200, rolling(0, 3));
    FakeApi.Result r = api.ok("app", "deploy", "-f", file("app.yml", MANIFEST).toString(), "--dry-run");
    assertThat(r.out()).isEqualTo("manifest ok: hello, image berth/busybox:1\n");
    assertThat(api.calls).extracting(FakeApi.Call::uri).containsExactly("/v1/apps?dry_run=true");
  }

  @Test
  void theManagersErrorIsOneLine() throws Exception {
    api.on("POST /v1/apps", 400, "{\"name\": \"InvalidManifest\", \"message\": \"instances: expected a number, got \\\"three\\\"\"}");
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST.replace("3", "three")).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("berth app deploy: instances: expected a number, got \"three\" (HTTP 400)\n");
    api.on("GET /v1/apps/nope", 404, "{\"name\": \"AppNotFound\", \"message\": \"no such app: nope\"}");
    assertThat(api.berth("app", "status", "nope").err()).isEqualTo("berth app status: no such app: nope (HTTP 404)\n");
  }

  @Test
  void whatCannotBeAManifestIsNamedWithItsFileAndNeverSent() throws Exception {
    Path none = dir.resolve("none.yml");
    assertThat(api.berth("app", "deploy", "-f", none.toString()).err()).isEqualTo("berth app deploy: cannot read " + none + ": no such file\n");
    Path bad = file("bad.yml", "name: hello\nimage: [berth/busybox:1\n");
    FakeApi.Result r = api.berth("app", "deploy", "-f", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("berth app deploy: " + bad + ": not valid YAML: line 3, column 1: ").doesNotContain("\n\t").hasLineCount(1);
    Path json = file("bad.json", "{\"name\": \"hello\",\n\t\"image\": }");
    assertThat(api.berth("app", "deploy", "-f", json.toString()).err()).startsWith("berth app deploy: " + json + ": not valid JSON: line 2, column ")
        .hasLineCount(1);
    // Each file's text, and what berth says of it after its path.
    String[][] refused = {
        {"nameless.yml", "image: berth/busybox:1\n", ": name: required\n"},
        {"twice.yml", "name: hello\nname: world\n", ": not valid YAML: line 2, column 5: Duplicate field 'name'\n"},
        {"listname.yml", "name: [hello]\n", ": name: expected text, got [\"hello\"]\n"},
        {"list.yml", "- name: hello\n", ": an app manifest is a mapping of fields (name:, image: …), not a list\n"},
        {"empty.yml", "# nothing yet\n", ": empty; an app manifest has at least name: and image:\n"}};
    for (String[] f : refused) {
      Path path = file(f[0], f[1]);
      assertThat(api.berth("app", "deploy", "-f", path.toString()).err()).isEqualTo("berth app deploy: " + path + f[2]);
    }
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aManifestInJsonWithTabsIsSentAsJson() throws Exception {
    api.on("POST /v1/apps", 201, status("deploy", 2, "succeeded", 3, 0, ""));
    String json = "{\n\t\"name\": \"hello\",\n\t\"image\": \"berth/busybox:1\"\n}\n";
    FakeApi.Result r = api.ok("app", "deploy", "-f", file("app.json", json).toString());
    assertThat(api.calls("POST", "/v1/apps").get(0).contentType()).isEqualTo("application/json");
    assertThat(api.calls("POST", "/v1/apps").get(0).body()).isEqualTo(json);
  }

  @Test
  void aDeployAbortedByAnotherExitsOne() throws Exception {
    api.on("POST /v1/apps", 201, rolling(0, 3));
    api.on("GET /v1/apps/hello", status("deploy", 2, "aborted", 0, 3, "aborted by admin"));
    FakeApi.Result r = api.berth("app", "deploy", "-f", file("app.yml", MANIFEST).toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth app deploy: hello v2 aborted: aborted by admin\n");
  }
}

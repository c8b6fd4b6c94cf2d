package io.berth.manager.build;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/builds/NAME/hook} with push payloads shaped as GitLab, GitHub and Gitea send them. */
class BuildHooksTest {
  @RegisterExtension
  final ApiTestServer m = new ApiTestServer();
  private String ann;
  private String secret;

  static final String SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";

  /** A GitLab push event (trimmed of its long commit and repository blocks, keeping their shape). */
  static String gitlab(String ref) {
    return """
        {"object_kind":"push","event_name":"push","before":"95790bf891e76fee5e1747ab589903a6a1f80f22",
         "after":"%s","ref":"%s","checkout_sha":"%s","user_id":4,"user_name":"John Smith",
         "user_username":"jsmith","project_id":15,"project":{"id":15,"name":"App","path_with_namespace":"team/app",
         "git_http_url":"http://git.example.com/team/app.git","default_branch":"main"},
         "commits":[{"id":"%s","message":"Update Dockerfile\\n","timestamp":"2026-12-06T10:00:00+00:00",
         "author":{"name":"John Smith","email":"john@example.com"},"added":[],"modified":["Dockerfile"],"removed":[]}],
         "total_commits_count":1,"repository":{"name":"App","url":"git@git.example.com:team/app.git"}}
        """.formatted(SHA, ref, SHA, SHA);
  }

  /** A GitHub push event (trimmed likewise). */
  static String github(String ref) {
    return """
        {"ref":"%s","before":"95790bf891e76fee5e1747ab589903a6a1f80f22","after":"%s","created":false,"deleted":false,
         "forced":false,"compare":"https://github.com/team/app/compare/95790bf891e7...da1560886d4f",
         "commits":[{"id":"%s","message":"Update Dockerfile","author":{"name":"John Smith","username":"jsmith"}}],
         "repository":{"id":1296269,"name":"app","full_name":"team/app","clone_url":"https://github.com/team/app.git"},
         "pusher":{"name":"jsmith","email":"john@example.com"},"sender":{"login":"jsmith","id":1}}
        """.formatted(ref, SHA, SHA);
  }

  @BeforeEach
  void build() throws Exception {
    ann = m.signedIn("ann", "ann's password");
    HttpResponse<String> made = m.call(ann, "POST", "/v1/builds", "{\"name\":\"app\",\"git_url\":\"https://git.example.com/team/app.git\"}");
    secret = json(made).path("hook_secret").asText();
  }

  private HttpResponse<String> hook(String body, String... headers) throws Exception {
    return m.call(null, "POST", "/v1/builds/app/hook", body, headers);
  }

  @Test
  void gitlabPushToTheBranchRunsAtThePushedCommit() throws Exception {
    HttpResponse<String> r = hook(gitlab("refs/heads/main"), "X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).path("run").asInt()).isEqualTo(1);
    var run = json(m.call(ann, "GET", "/v1/builds/app/runs/1", null));
    assertThat(run.path("ref").asText()).isEqualTo(SHA);
    assertThat(run.path("user").asText()).isEqualTo("ann");
    assertThat(run.path("trigger").asText()).isEqualTo("push via gitlab");
  }

  @Test
  void githubAndGiteaSignaturesAreHmacsOfTheBody() throws Exception {
    String body = github("refs/heads/main");
    String hmac = BuildHooks.hmac(secret, body.getBytes(StandardCharsets.UTF_8));
    assertThat(hook(body, "X-Hub-Signature-256", "sha256=" + hmac, "X-GitHub-Event", "push").statusCode()).isEqualTo(201);
    assertThat(hook(body, "X-Gitea-Signature", hmac, "X-Gitea-Event", "push").statusCode()).isEqualTo(201);
    assertThat(hook(body, "X-Hub-Signature-256", "sha256=" + BuildHooks.hmac("other", body.getBytes(StandardCharsets.UTF_8)),
        "X-GitHub-Event", "push").statusCode()).isEqualTo(401);
  }

  @Test
  void otherBranchesAndEventsAreIgnoredWithWhy() throws Exception {
    HttpResponse<String> branch = hook(gitlab("refs/heads/feature"), "X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook");
    assertThat(branch.statusCode()).isEqualTo(202);
    assertThat(json(branch).path("ignored").asText()).isEqualTo("a push to refs/heads/feature; build app follows refs/heads/main");
    HttpResponse<String> tag = hook(gitlab("refs/heads/main"), "X-Gitlab-Token", secret, "X-Gitlab-Event", "Tag Push Hook");
    assertThat(tag.statusCode()).isEqualTo(202);
    assertThat(json(tag).path("ignored").asText()).contains("is not a push");
    assertThat(json(m.call(ann, "GET", "/v1/builds/app/runs", null))).isEmpty();
  }

  @Test
  void aBadOrMissingSignatureIs401AndAudited() throws Exception {
    HttpResponse<String> bad = hook(gitlab("refs/heads/main"), "X-Gitlab-Token", "guess", "X-Gitlab-Event", "Push Hook");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(json(bad).path("message").asText()).contains("X-Gitlab-Token does not match");
    assertThat(hook(gitlab("refs/heads/main"), "X-Gitlab-Event", "Push Hook").statusCode()).isEqualTo(401);
    String audit = m.asAdmin("GET", "/v1/audit", null).body();
    assertThat(audit).contains("/v1/builds/app/hook").contains("401");
  }

  @Test
  void notJsonIs400AndOverOneMebibyteIs413() throws Exception {
    assertThat(hook("not json", "X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook").statusCode()).isEqualTo(400);
    char[] big = new char[(1 << 20) + 10];
    Arrays.fill(big, ' ');
    String body = "{\"ref\":\"refs/heads/main\"" + new String(big) + "}";
    HttpResponse<String> r = hook(body, "X-Gitlab-Token", secret, "X-Gitlab-Event", "Push Hook");
    assertThat(r.statusCode()).isEqualTo(413);
  }
}

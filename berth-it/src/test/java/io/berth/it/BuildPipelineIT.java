package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.engine.LocalEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Code builds from a git push to a canary, on real parts: Debian's {@code git daemon} serves the
 * repository, the {@link RegistryCluster}'s build nodes (37, 38) clone it, run its prepare step in a
 * container with a cache, build the image on their engine and push it to the manager's registry; a
 * GitLab push event (its real shape and token) on the build's webhook starts the next run, which lands
 * on the same node, finds its cache warm, and deploys a canary of the app that a real router's nginx
 * then serves. A missing branch fails at {@code clone} with git's words. With one slot per node, a
 * second run of a build waits for its node with its place; a build node SIGKILLed mid-run fails the
 * run with the reason.
 */
@RegistryCluster
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildPipelineIT {
  static final String DOMAIN = "site.build.test";
  static final String PREPARE = """
      steps:
        - name: deps
          image: berth/busybox:1
          caches: [deps]
          run: |
            if [ -f deps/dep.txt ]; then echo "dep cached"; else echo "downloading dep"; echo dep > deps/dep.txt; fi
      """;
  static final String DOCKERFILE = """
      FROM berth/busybox:1
      COPY www /www
      """;
  static Cluster cluster;
  static GitServer git;
  static Path work;
  static BerthProcess router;
  static int routerPort;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void setUp(Cluster c) throws Exception {
    cluster = c;
    Path dir = Files.createTempDirectory("berth-build-it");
    git = GitServer.start(dir);
    work = git.create("site", "main", Map.of("Dockerfile", DOCKERFILE, "berth-build.yml", PREPARE, "www/index.html", "v1\n"));
    routerPort = Ports.free();
    router = BerthProcess.start("router", dir, "router", "--manager", c.apiUrl(), "--token", c.adminToken(),
        "--group", "default", "--listen", "127.0.0.1:" + routerPort, "--data", dir.resolve("router").toString());
    router.awaitLine("berth router ready", Duration.ofSeconds(30));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cluster.manager().isAlive()) {
      berth("app", "rm", "site");
      berth("build", "rm", "site");
    }
    if (router != null) router.close();
    if (git != null) git.close();
  }

  static BerthProcess.Result berth(String... args) throws Exception {
    return cluster.berth(Duration.ofSeconds(240), args);
  }

  static JsonNode lastRun() {
    return cluster.api().get("/v1/builds/site/runs/last");
  }

  static String served() {
    return HostLoad.once("127.0.0.1", routerPort, DOMAIN);
  }

  @Test
  @Order(1)
  void aRunClonesPreparesBuildsAndPushesOnABuildNode() throws Exception {
    BerthProcess.Result r = berth("build", "create", "site", "--git", git.url("site"), "--image", "team/site", "--cache", "deps");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    r = berth("build", "run", "site");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("==> clone", "==> prepare", "downloading dep", "==> image", "<== push ok");
    JsonNode run = lastRun();
    assertThat(run.path("state").asText()).isEqualTo("ok");
    assertThat(run.path("node").asText()).isIn("node37", "node38");
    String head = GitServer.git(work, "rev-parse", "HEAD").strip();
    assertThat(run.path("commit").asText()).isEqualTo(head);
    assertThat(run.path("image").asText()).isEqualTo(RegistryCluster.REGISTRY + "/team/site:" + head.substring(0, 7));
    assertThat(run.path("steps").findValuesAsText("name")).containsSubsequence("clone", "prepare", "image", "push");
  }

  @Test
  @Order(2)
  void theImageRunsAsAnApp() throws Exception {
    String image = lastRun().path("image").asText();
    Path manifest = Files.writeString(Files.createTempFile("site", ".yml"), """
        name: site
        image: %s
        command: [httpd, -f, -p, "8080", -h, /www]
        instances: 2
        memory: 32m
        ports: [8080]
        health: {http: /, port: 8080, interval: 1s, timeout: 500ms, start_timeout: 30s}
        routes: [%s]
        deploy: {strategy: canary, canaries: 1}
        """.formatted(image, DOMAIN));
    BerthProcess.Result r = berth("app", "deploy", "-f", manifest.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> served().startsWith("200 v1"));
    r = berth("build", "edit", "site", "--deploy", "site");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }

  @Test
  @Order(3)
  void aGitlabPushRunsOnTheSameNodeWithItsCacheWarmAndDeploysACanaryThatNginxServes() throws Exception {
    String firstNode = lastRun().path("node").asText();
    String commit = GitServer.commit(work, Map.of("www/index.html", "v2\n"), "v2");
    GitServer.git(work, "push", "-q", "origin", "main");
    String secret = cluster.api().get("/v1/builds/site").path("hook_secret").asText();
    assertThat(secret).isNotEmpty();

    HttpResponse<String> bad = hook("not-the-secret", commit);
    assertThat(bad.statusCode()).isEqualTo(401);
    HttpResponse<String> ok = hook(secret, commit);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(JSON.readTree(ok.body()).path("run").asInt()).isEqualTo(2);

    JsonNode run = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
        .until(BuildPipelineIT::lastRun, j -> j.path("number").asInt() == 2 && j.path("ended_at").isTextual());
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("ok");
    assertThat(run.path("trigger").asText()).isEqualTo("push via gitlab");
    assertThat(run.path("node").asText()).as("the same build lands on the same node").isEqualTo(firstNode);
    assertThat(run.path("image").asText()).endsWith(":" + commit.substring(0, 7));
    assertThat(run.path("steps").findValuesAsText("name")).contains("deploy");
    BerthProcess.Result log = berth("build", "logs", "site", "2");
    assertThat(log.out()).as("the prepare step finds its cache").contains("dep cached").doesNotContain("downloading dep");

    // The canary serves the new image beside the old version.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> served().startsWith("200 v2"));
    JsonNode app = cluster.api().get("/v1/apps/site");
    assertThat(app.path("rollout").path("phase").asText()).isEqualTo("canary");
  }

  @Test
  @Order(4)
  void aMissingBranchFailsAtCloneWithGitsWords() throws Exception {
    BerthProcess.Result r = berth("build", "run", "site", "--ref", "no-such-branch");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode run = lastRun();
    assertThat(run.path("state").asText()).isEqualTo("failed");
    assertThat(run.path("failed_step").asText()).isEqualTo("clone");
    assertThat(run.path("message").asText()).contains("no-such-branch");
  }

  @Test
  @Order(5)
  void aSecondRunQueuesPastTheSlotsAndABuildNodeLostMidRunFailsItsRun() throws Exception {
    git.create("slow", "main", Map.of("Dockerfile", DOCKERFILE, "www/index.html", "slow\n", "berth-build.yml", """
        steps:
          - name: wait
            image: berth/busybox:1
            run: sleep 60
        """));
    assertThat(berth("build", "create", "slow", "--git", git.url("slow"), "--image", "team/slow").exit()).isZero();
    assertThat(berth("build", "run", "slow", "--detach").exit()).isZero();
    JsonNode first = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.api().get("/v1/builds/slow/runs/1"), r -> r.path("steps").findValuesAsText("name").contains("prepare"));
    String node = first.path("node").asText();

    assertThat(berth("build", "run", "slow", "--detach").exit()).isZero();
    JsonNode second = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.api().get("/v1/builds/slow/runs/2"), r -> r.path("place").asInt() > 0);
    assertThat(second.path("state").asText()).isEqualTo("queued");
    assertThat(second.path("place").asInt()).as("it waits for its own node's one slot").isEqualTo(1);
    assertThat(berth("build", "cancel", "slow", "2").exit()).isZero();

    LocalEngine lost = cluster.engine(node);
    cluster.agent(node).kill();
    try {
      JsonNode failed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> cluster.api().get("/v1/builds/slow/runs/1"), r -> r.path("state").asText().equals("failed"));
      assertThat(failed.path("message").asText()).isEqualTo("build node " + node + " was lost during step prepare");
      assertThat(failed.path("failed_step").asText()).isEqualTo("prepare");
    } finally {
      cluster.startAgent(lost, null); // it joins again on the certificate it has
      await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(cluster.api().nodeState(node)));
      berth("build", "rm", "slow");
    }
  }

  /** A GitLab push event, as GitLab sends it, on the build's webhook. */
  static HttpResponse<String> hook(String token, String commit) throws Exception {
    String body = """
        {"object_kind": "push", "event_name": "push", "before": "0000000000000000000000000000000000000000",
         "after": "%s", "ref": "refs/heads/main", "checkout_sha": "%s", "user_id": 4, "user_name": "Dev",
         "user_username": "dev", "user_email": "", "project_id": 15,
         "project": {"id": 15, "name": "site", "path_with_namespace": "team/site", "default_branch": "main",
                     "git_http_url": "%s"},
         "commits": [{"id": "%s", "message": "v2\\n", "title": "v2", "author": {"name": "Dev", "email": "dev@example.com"}}],
         "total_commits_count": 1, "repository": {"name": "site", "url": "%s", "homepage": ""}}
        """.formatted(commit, commit, git.url("site"), commit, git.url("site"));
    HttpRequest req = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + "/v1/builds/site/hook"))
        .header("Content-Type", "application/json").header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }
}

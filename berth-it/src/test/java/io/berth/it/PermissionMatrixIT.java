package io.berth.it;

import static io.berth.it.MatrixJudge.cli;
import static io.berth.it.MatrixJudge.docker;
import static io.berth.it.MatrixJudge.http;
import static io.berth.it.MatrixJudge.listed;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.MatrixJudge.Outcome;
import io.berth.it.MatrixJudge.Seen;
import io.berth.it.MatrixJudge.Step;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Walks the whole permission matrix of docs/permissions.md: for every kind of resource, every
 * action and every role, a user with exactly that role takes the action through the interface a
 * user would — the berth CLI, the Docker endpoint with the user's client bundle, the real docker
 * CLI against the registry, the Berth API — and the outcome (done, or refused with a 401/403)
 * must be the document's cell. A cell that differs, or an outcome that is neither (a 500, a
 * conflict), fails the test with every such cell listed. One real node (42), the manager on
 * SQLite with the registry on 127.0.0.1:5042 and the Docker endpoint over TLS.
 */
@AsEveryRole.MatrixCluster
class PermissionMatrixIT extends AsEveryRole {
  final List<String> differences = new ArrayList<>();
  final Map<String, Map<String, List<Boolean>>> doc = MatrixJudge.documented();

  /** Takes {@code action} on {@code kind} as each role, weakest first (so an owner's delete comes last), and compares with the document. */
  void walk(String kind, String action, Step step) throws Exception {
    List<Boolean> expected = doc.get(kind).get(action);
    assertThat(expected).as("docs/permissions.md has %s %s", kind, action).isNotNull();
    for (String role : ROLES) {
      boolean yes = expected.get(4 - ROLES.indexOf(role)); // the document's columns run owner … guest
      for (Seen s : step.take(role, "u-" + role)) {
        Outcome want = yes ? Outcome.ALLOWED : Outcome.DENIED;
        if (s.outcome() != want) {
          differences.add(kind + " " + action + " by " + role + ": expected " + want + ", got " + s.outcome() + " — "
              + s.evidence().strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
        }
      }
    }
  }

  void addMembers(String kindFlag, String name) throws Exception {
    for (String role : ROLES) {
      if (role.equals("owner")) continue;
      BerthProcess.Result r = berthAs("u-owner", "member", "add", kindFlag, name, "u-" + role, role).run();
      assertThat(r.exit()).as(r.err()).isZero();
    }
  }

  /** Adds and removes u-extra as a guest: what {@code members} allows. */
  List<Seen> members(String user, String kindFlag, String name) throws Exception {
    Seen add = cli(berthAs(user, "member", "add", kindFlag, name, "u-extra", "guest").run());
    if (add.outcome() != Outcome.ALLOWED) return List.of(add);
    return List.of(add, cli(berthAs(user, "member", "rm", kindFlag, name, "u-extra").run()));
  }

  static String appContainer() throws Exception {
    DockerCli.Result ps = endpoint("admin", null, "ps", "-q", "--filter", "label=io.berth.process-guid");
    assertThat(ps.exit()).as(ps.err()).isZero();
    return ps.out().lines().findFirst().orElseThrow(() -> new AssertionError("no app container: " + ps.out()));
  }

  @Test
  void everyCellOfThePermissionMatrix() throws Exception {
    // ---- app: the CLI, and the Docker endpoint for its containers ----
    BerthProcess.Result first = berthAs("u-owner", "app", "deploy", "-f", manifest("first").toString()).run();
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    addMembers("--app", "mx");
    walk("app", "view", (role, u) -> {
      BerthProcess.Result r = berthAs(u, "app", "ls").run();
      return List.of(listed(r.exit(), r.out() + r.err(), "mx"));
    });
    walk("app", "read", (role, u) -> List.of(cli(berthAs(u, "app", "status", "mx").run()),
        docker(endpoint(u, null, "logs", appContainer()))));
    walk("app", "exec", (role, u) -> List.of(docker(endpoint(u, null, "exec", appContainer(), "true"))));
    walk("app", "deploy", (role, u) -> List.of(cli(berthAs(u, "app", "deploy", "-f", manifest(role).toString()).run())));
    walk("app", "scale", (role, u) -> List.of(cli(berthAs(u, "app", "scale", "mx", "1").run())));
    walk("app", "members", (role, u) -> members(u, "--app", "mx"));
    walk("app", "delete", (role, u) -> List.of(cli(berthAs(u, "app", "rm", "mx").run())));

    // ---- repo: the registry with each user's docker login, and berth image ----
    for (String role : ROLES) distinctImage("mxr/img:d-" + role, role);
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxr/img:v1").exit()).isZero();
    DockerCli.Result pushed = registry("u-owner", null, "push", REGISTRY + "/mxr/img:v1");
    assertThat(pushed.exit()).as(pushed.err()).isZero();
    for (String role : ROLES) assertThat(registry("u-owner", null, "push", REGISTRY + "/mxr/img:d-" + role).exit()).isZero();
    addMembers("--repo", "mxr/img");
    walk("repo", "view", (role, u) -> {
      BerthProcess.Result r = berthAs(u, "image", "ls").run();
      return List.of(listed(r.exit(), r.out() + r.err(), "mxr/img"));
    });
    walk("repo", "pull", (role, u) -> List.of(docker(registry(u, null, "pull", REGISTRY + "/mxr/img:v1")),
        cli(berthAs(u, "image", "tags", "mxr/img").run())));
    walk("repo", "push", (role, u) -> {
      registry(u, null, "tag", "berth/busybox:1", REGISTRY + "/mxr/img:p-" + role);
      return List.of(docker(registry(u, null, "push", REGISTRY + "/mxr/img:p-" + role)));
    });
    walk("repo", "delete-tag", (role, u) -> List.of(cli(berthAs(u, "image", "rm", "mxr/img:d-" + role).run())));
    walk("repo", "visibility", (role, u) -> List.of(cli(berthAs(u, "image", "visibility", "mxr/img", "private").run())));
    walk("repo", "members", (role, u) -> members(u, "--repo", "mxr/img"));

    // ---- group: a role on the group reaches every repository in it, and new ones ----
    for (String role : ROLES) distinctImage("mxg/base:d-" + role, role);
    assertThat(registry("u-owner", null, "tag", "berth/busybox:1", REGISTRY + "/mxg/base:v1").exit()).isZero();
    assertThat(registry("u-owner", null, "push", REGISTRY + "/mxg/base:v1").exit()).isZero();
    for (String role : ROLES) assertThat(registry("u-owner", null, "push", REGISTRY + "/mxg/base:d-" + role).exit()).isZero();
    addMembers("--group", "mxg");
    walk("group", "view", (role, u) -> List.of(cli(berthAs(u, "member", "ls", "--group", "mxg").run())));
    walk("group", "pull", (role, u) -> List.of(docker(registry(u, null, "pull", REGISTRY + "/mxg/base:v1"))));
    walk("group", "push", (role, u) -> {
      registry(u, null, "tag", "berth/busybox:1", REGISTRY + "/mxg/new-" + role + ":v1");
      return List.of(docker(registry(u, null, "push", REGISTRY + "/mxg/new-" + role + ":v1")));
    });
    walk("group", "delete-tag", (role, u) -> List.of(cli(berthAs(u, "image", "rm", "mxg/base:d-" + role).run())));
    walk("group", "members", (role, u) -> members(u, "--group", "mxg"));

    // ---- build: docker build through the Docker endpoint, its record through the API ----
    DockerCli.Result built = endpoint("u-owner", "FROM berth/busybox:1\nLABEL by=owner\n", "build", "-t", REGISTRY + "/mxb:v1", "-");
    assertThat(built.exit()).as(built.err()).isZero();
    addMembers("--build", "mxb");
    walk("build", "view", (role, u) -> {
      HttpResponse<String> r = api(tokens.get(u), "GET", "/v1/builds", null);
      return List.of(listed(r.statusCode() == 200 ? 0 : 1, r.body(), "\"mxb\""));
    });
    walk("build", "read", (role, u) -> List.of(http(api(tokens.get(u), "GET", "/v1/builds/mxb", null))));
    walk("build", "run", (role, u) -> List.of(docker(endpoint(u, "FROM berth/busybox:1\nLABEL by=" + role + "\n",
        "build", "-t", REGISTRY + "/mxb:" + role, "-"))));
    walk("build", "members", (role, u) -> members(u, "--build", "mxb"));
    walk("build", "delete", (role, u) -> List.of(http(api(tokens.get(u), "DELETE", "/v1/builds/mxb", null))));

    assertThat(differences).as("cells that differ from docs/permissions.md").isEmpty();
  }

  /** An image with a digest of its own (a label), so deleting its tag takes no other tag with it. */
  static void distinctImage(String repoTag, String role) throws Exception {
    String name = "mk-" + repoTag.replaceAll("[^a-z0-9]", "-").toLowerCase(Locale.ROOT);
    registry("u-owner", null, "rm", "-f", name);
    assertThat(registry("u-owner", null, "create", "--name", name, "berth/busybox:1", "true").exit()).isZero();
    DockerCli.Result c = registry("u-owner", null, "commit", "--change", "LABEL matrix=" + repoTag, name, REGISTRY + "/" + repoTag);
    assertThat(c.exit()).as(c.err()).isZero();
    registry("u-owner", null, "rm", "-f", name);
  }

}

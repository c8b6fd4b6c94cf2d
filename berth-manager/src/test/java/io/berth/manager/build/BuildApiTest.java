package io.berth.manager.build;

import static io.berth.manager.http.ApiTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.identity.Principal;
import io.berth.manager.http.ApiTestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The builds' routes over HTTP on an in-process manager: settings, refusals, roles and runs. */
class BuildApiTest {
  @RegisterExtension
  final ApiTestServer m = new ApiTestServer();

  static final String CREATE = "{\"name\":\"team/app\",\"git_url\":\"https://git.example.com/team/app.git\",\"caches\":[\"m2\",\"cache/deps\"]}";

  @Test
  void creatorIsOwnerAndSeesTheSecretWhileReportersDoNot() throws Exception {
    String ann = m.signedIn("ann", "ann's password");
    String rob = m.signedIn("rob", "rob's password");
    HttpResponse<String> made = m.call(ann, "POST", "/v1/builds", CREATE);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    JsonNode b = json(made);
    assertThat(b.path("branch").asText()).isEqualTo("main");
    assertThat(b.path("dockerfile").asText()).isEqualTo("Dockerfile");
    assertThat(b.path("image").asText()).isEqualTo("team/app");
    assertThat(b.path("timeout_seconds").asInt()).isEqualTo(1800);
    assertThat(b.path("hook_secret").asText()).hasSize(64);
    assertThat(json(m.call(ann, "GET", "/v1/members/build/team%2Fapp", null)).get(0).path("role").asText()).isEqualTo("owner");

    assertThat(m.call(ann, "PUT", "/v1/members/build/team%2Fapp/rob", "{\"role\":\"reporter\"}").statusCode()).isEqualTo(200);
    JsonNode seen = json(m.call(rob, "GET", "/v1/builds/team%2Fapp", null));
    assertThat(seen.path("git_url").asText()).isEqualTo("https://git.example.com/team/app.git");
    assertThat(seen.path("hook_secret").isNull()).isTrue();
    assertThat(json(m.call(ann, "GET", "/v1/builds/team%2Fapp", null)).path("hook_secret").asText()).isEqualTo(b.path("hook_secret").asText());
  }

  @Test
  void refusesBadSettingsNamingTheField() throws Exception {
    String ann = m.signedIn("ann", "ann's password");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"https://h/x.git\",\"caches\":[\"../up\"]}", 400, "leaves the build's directory");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"https://h/x.git\",\"caches\":[\"/root/.m2\"]}", 400, "outside the build's directory");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"file:///etc\"}", 400, "git_url: not a git URL");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"https://h/x.git\",\"dockerfile\":\"../Dockerfile\"}", 400, "dockerfile");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"https://h/x.git\",\"timeout\":\"forever\"}", 400, "timeout");
    assertRefused(ann, "{\"name\":\"a\",\"git_url\":\"https://h/x.git\",\"image\":\"127.0.0.1:5000/team/app\"}", 400, "without the registry host");
    assertRefused(ann, "{\"name\":\"Bad Name\",\"git_url\":\"https://h/x.git\"}", 400, "name:");
    assertThat(json(m.call(ann, "GET", "/v1/builds", null))).isEmpty(); // nothing half-made
  }

  @Test
  void refusesAnImageRepositoryTheCallerMayNotPushTo() throws Exception {
    String ann = m.signedIn("ann", "ann's password");
    String bob = m.signedIn("bob", "bob's password");
    assertThat(m.call(ann, "POST", "/v1/builds", "{\"name\":\"first\",\"git_url\":\"https://h/x.git\",\"image\":\"anns/app\"}").statusCode())
        .isEqualTo(200); // ann now owns the group anns
    assertRefused(bob, "{\"name\":\"second\",\"git_url\":\"https://h/x.git\",\"image\":\"anns/other\"}", 403, "may not push to image repository anns/other");
  }

  @Test
  void rolesGateRunCancelLogsAndSettings() throws Exception {
    String ann = m.signedIn("ann", "ann's password");
    String gus = m.signedIn("gus", "gus's password");
    String dev = m.signedIn("dev", "dev's password");
    String rep = m.signedIn("rep", "rep's password");
    m.call(ann, "POST", "/v1/builds", CREATE);
    m.call(ann, "PUT", "/v1/members/build/team%2Fapp/gus", "{\"role\":\"guest\"}");
    m.call(ann, "PUT", "/v1/members/build/team%2Fapp/dev", "{\"role\":\"developer\"}");
    m.call(ann, "PUT", "/v1/members/build/team%2Fapp/rep", "{\"role\":\"reporter\"}");
    m.call(ann, "PUT", "/v1/members/group/team/dev", "{\"role\":\"developer\"}"); // dev may push the image

    assertThat(m.call(gus, "POST", "/v1/builds/team%2Fapp/runs", null).statusCode()).isEqualTo(403);
    HttpResponse<String> run = m.call(dev, "POST", "/v1/builds/team%2Fapp/runs", "{\"ref\":\"v1.2\",\"tag\":\"1.2\",\"no_cache\":true}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    assertThat(json(run).path("number").asInt()).isEqualTo(1);
    assertThat(json(run).path("state").asText()).isEqualTo("queued");
    assertThat(json(run).path("ref").asText()).isEqualTo("v1.2");

    assertThat(m.call(rep, "GET", "/v1/builds/team%2Fapp/runs/1/log", null).statusCode()).isEqualTo(200);
    assertThat(m.call(gus, "GET", "/v1/builds/team%2Fapp/runs/1/log", null).statusCode()).isEqualTo(403);
    assertThat(m.call(rep, "POST", "/v1/builds/team%2Fapp/runs/1/cancel", null).statusCode()).isEqualTo(403);
    assertThat(m.call(dev, "PUT", "/v1/builds/team%2Fapp", "{\"branch\":\"dev\"}").statusCode()).isEqualTo(403);
    assertThat(m.call(dev, "POST", "/v1/builds/team%2Fapp/hook-secret", null).statusCode()).isEqualTo(403);

    HttpResponse<String> cancelled = m.call(dev, "POST", "/v1/builds/team%2Fapp/runs/last/cancel", null);
    assertThat(json(cancelled).path("state").asText()).as(cancelled.body()).isEqualTo("cancelled");
    assertThat(json(cancelled).path("message").asText()).isEqualTo("cancelled by dev");
    assertThat(m.call(rep, "GET", "/v1/builds/team%2Fapp/runs/1/log?follow=1", null).body()).isEqualTo("run 1 cancelled: cancelled by dev\n");
  }

  @Test
  void ownersEditSettingsAndRotateTheSecret() throws Exception {
    String ann = m.signedIn("ann", "ann's password");
    String secret = json(m.call(ann, "POST", "/v1/builds", CREATE)).path("hook_secret").asText();
    HttpResponse<String> edited = m.call(ann, "PUT", "/v1/builds/team%2Fapp", "{\"branch\":\"release\",\"timeout\":\"10m\"}");
    assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
    assertThat(json(edited).path("branch").asText()).isEqualTo("release");
    assertThat(json(edited).path("timeout_seconds").asInt()).isEqualTo(600);
    assertThat(json(edited).path("caches").toString()).isEqualTo("[\"m2\",\"cache/deps\"]");
    String rotated = json(m.call(ann, "POST", "/v1/builds/team%2Fapp/hook-secret", null)).path("hook_secret").asText();
    assertThat(rotated).hasSize(64).isNotEqualTo(secret);
    assertThat(m.call(ann, "DELETE", "/v1/builds/team%2Fapp", null).statusCode()).isEqualTo(204);
    assertThat(m.call(ann, "GET", "/v1/builds/team%2Fapp", null).statusCode()).isIn(403, 404);
  }

  @Test
  void aDockerBuildsRecordKeepsItsShapeAndHasNoSettingsOrRuns() throws Exception {
    BuildRecords records = new BuildRecords(m.store(), Clock.systemUTC(), m.manager().access());
    Principal ann = new Principal("ann", false, "token");
    m.signedIn("ann", "ann's password");
    records.begin(ann, "team/tool");
    records.finished(ann, "team/tool", List.of("127.0.0.1:5000/team/tool:v1"), "relayed", "the node's build output went to the client");
    JsonNode b = json(m.asAdmin("GET", "/v1/builds/team%2Ftool", null));
    assertThat(b.path("created_by").asText()).isEqualTo("ann");
    JsonNode run = b.path("runs").get(0);
    assertThat(run.path("tags").get(0).asText()).isEqualTo("127.0.0.1:5000/team/tool:v1");
    assertThat(run.path("outcome").asText()).isEqualTo("relayed");
    assertThat(run.path("number").asInt()).isEqualTo(1);
    assertThat(m.asAdmin("GET", "/v1/builds/team%2Ftool/runs/1/log?follow=1", null).body())
        .isEqualTo("run 1 relayed: the node's build output went to the client\n");
    assertThat(m.asAdmin("POST", "/v1/builds/team%2Ftool/runs", null).statusCode()).isEqualTo(409);
    assertThat(m.asAdmin("PUT", "/v1/builds/team%2Ftool", "{\"branch\":\"x\"}").statusCode()).isEqualTo(409);
  }

  private void assertRefused(String token, String body, int status, String words) throws Exception {
    HttpResponse<String> r = m.call(token, "POST", "/v1/builds", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).path("message").asText()).contains(words);
  }
}

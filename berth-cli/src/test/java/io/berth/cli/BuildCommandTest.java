package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code berth build}: the bodies it sends, the runs it follows and the tables it prints. */
class BuildCommandTest {
  final FakeApi api = new FakeApi();

  BuildCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void createSendsOnlyTheSettingsGiven() {
    api.on("POST /v1/builds", """
        {"name": "team/app", "git_url": "https://git.example.com/app.git", "branch": "main", "image": "team/app"}""");
    FakeApi.Result r = api.ok("build", "create", "team/app", "--git", "https://git.example.com/app.git", "--cache", "m2", "--cache",
        "cache/deps", "--deploy", "web", "--timeout", "10m");
    assertThat(r.out()).isEqualTo("created build team/app: https://git.example.com/app.git main -> team/app\n");
    assertThat(api.calls("POST", "/v1/builds").get(0).body()).isEqualTo(
        "{\"name\":\"team/app\",\"git_url\":\"https://git.example.com/app.git\",\"deploy\":\"web\",\"timeout\":\"10m\","
            + "\"caches\":[\"m2\",\"cache/deps\"]}");
    assertThat(api.berth("build", "create", "x").err()).contains("--git URL is required");
  }

  @Test
  void runFollowsTheLogAndExitsOneWhenTheRunFailed() {
    api.on("POST /v1/builds/team%2Fapp/runs", "{\"number\": 3, \"state\": \"queued\"}");
    api.on("GET /v1/builds/team%2Fapp/runs/3/log?follow=1", "==> clone\nfatal: couldn't find remote ref nope\n<== clone failed in 0.4s\n");
    api.on("GET /v1/builds/team%2Fapp/runs/3", "{\"number\": 3, \"state\": \"failed\"}");
    FakeApi.Result r = api.berth("build", "run", "team/app", "--ref", "nope", "--no-cache");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("fatal: couldn't find remote ref nope");
    assertThat(api.calls("POST", "/v1/builds/team%2Fapp/runs").get(0).body()).isEqualTo("{\"ref\":\"nope\",\"no_cache\":true}");
    assertThat(api.ok("build", "run", "team/app", "--detach").out()).isEqualTo("3\n");
  }

  @Test
  void runsShowTheirPlaceInTheQueue() {
    api.on("GET /v1/builds/app/runs", """
        [{"number": 1, "state": "running", "ref": "main", "node": "n1", "steps": [{"name": "image"}]},
         {"number": 2, "state": "queued", "ref": "main", "place": 2, "steps": []}]""");
    String out = api.ok("build", "runs", "app").out();
    assertThat(out).contains("queued (2nd)").contains("running").contains("image");
  }

  @Test
  void cancelNamesTheNewestRunByDefault() {
    api.on("POST /v1/builds/app/runs/last/cancel", "{\"number\": 4, \"state\": \"cancelled\"}");
    assertThat(api.ok("build", "cancel", "app").out()).isEqualTo("run 4 of app: cancelled\n");
  }
}

package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagersCommandTest {
  final FakeApi api = new FakeApi();
  final String since = Instant.now().minusSeconds(300).toString();
  final String managers = """
      [{"name": "m1", "api": "http://a:8080", "cluster": "a:2377", "docker": "a:2375", "leader": true, "since": "%s", "version": "0.1.0"},
       {"name": "m2", "api": "http://b:8080", "cluster": "b:2377", "docker": null, "leader": false, "since": "%s", "version": "0.1.0"}]"""
      .formatted(since, since);

  ManagersCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void printsEachManagerWithTheLeaderMarked() {
    api.on("GET /v1/managers", managers);
    FakeApi.Result r = api.ok("managers");
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).containsSubsequence("NAME", "API", "CLUSTER", "DOCKER", "LEADER", "SINCE", "VERSION");
    assertThat(lines[1]).containsSubsequence("m1", "http://a:8080", "a:2377", "a:2375", "yes", "5m ago", "0.1.0");
    assertThat(lines[2]).containsSubsequence("m2", "http://b:8080", "b:2377", "-", "no", "5m ago", "0.1.0");
  }

  @Test
  void jsonPrintsTheApisAnswer() {
    api.on("GET /v1/managers", managers);
    FakeApi.Result r = api.ok("managers", "--json");
    assertThat(r.out()).contains("\"leader\"").contains("\"m2\"");
  }
}

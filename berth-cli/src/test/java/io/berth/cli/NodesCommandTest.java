package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodesCommandTest {
  final FakeApi api = new FakeApi();
  final String since = Instant.now().minusSeconds(120).toString();
  final String engine = "{\"engine_version\": \"27.1\", \"cpus\": 4, \"memory_bytes\": 8589934592}";

  NodesCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void showsEachNodesBerthVersionAndADashForNodesThatStateNone() {
    api.on("GET /v1/nodes", """
        [{"name": "n1", "state": "ready", "address": "10.0.0.5:12376", "engine": %s, "labels": {}, "changed_at": "%s", "version": "0.2.0"},
         {"name": "n2", "state": "ready", "address": "10.0.0.6:2375", "engine": %s, "labels": {}, "changed_at": "%s", "version": null}]"""
        .formatted(engine, since, engine, since));
    String[] lines = api.ok("nodes").out().split("\n");
    assertThat(lines[0]).containsSubsequence("NAME", "STATE", "ADDRESS", "ENGINE", "SINCE", "VERSION");
    assertThat(lines[1]).containsSubsequence("n1", "ready", "docker 27.1", "8.0 GiB", "2m ago", "0.2.0");
    assertThat(lines[2]).containsSubsequence("n2", "2m ago").endsWith("-");
  }
}

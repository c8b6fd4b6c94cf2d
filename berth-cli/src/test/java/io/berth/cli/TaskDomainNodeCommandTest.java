package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDomainNodeCommandTest {
  static final String TASK = """
      {"task_guid": "job-1", "domain": "apps", "rootfs": "docker:///busybox", "result_file": "/out",
       "action": {"run": {"path": "/bin/sh", "args": ["-c", "echo 42 > /out"], "user": "root"}}}""";

  final FakeApi api = new FakeApi();
  @TempDir Path dir;

  TaskDomainNodeCommandTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  static String task(String state, boolean failed, String reason, String result) {
    return """
        {"task_guid": "job-1", "domain": "apps", "rootfs": "docker:///busybox", "state": "%s", "cell_id": "node1",
         "failed": %s, "failure_reason": "%s", "result": "%s"}""".formatted(state, failed, reason, result);
  }

  @Test
  void taskCreateWatchPrintsStatesOnStderrAndTheResultOnStdout() throws Exception {
    api.on("POST /v1/tasks", 201, "");
    api.on("GET /v1/tasks/job-1", task("PENDING", false, "", ""), task("RUNNING", false, "", ""),
        task("COMPLETED", false, "", "42\\n"));
    FakeApi.Result r = api.ok("task", "create", "-f", Files.writeString(dir.resolve("t.json"), TASK).toString(), "--watch");
    assertThat(r.out()).isEqualTo("42\n");
    assertThat(r.err()).isEqualTo("job-1: PENDING\njob-1: RUNNING\njob-1: COMPLETED\n");
    assertThat(api.calls("POST", "/v1/tasks").get(0).body()).isEqualTo(TASK);
  }

  @Test
  void aFailedTaskExitsOneWithItsReason() throws Exception {
    api.on("POST /v1/tasks", 201, "");
    api.on("GET /v1/tasks/job-1", task("COMPLETED", true, "exit status 1", ""));
    FakeApi.Result r = api.berth("task", "create", "-f", Files.writeString(dir.resolve("t.json"), TASK).toString(), "--watch");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("job-1: COMPLETED\nberth task create: job-1 failed: exit status 1\n");
  }

  @Test
  void taskCreateRefusesWhatBerthSets() throws Exception {
    Path f = Files.writeString(dir.resolve("t.json"), TASK.replace("\"domain\"", "\"state\": \"RUNNING\", \"domain\""));
    FakeApi.Result r = api.berth("task", "create", "-f", f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth task create: " + f + ": state: Berth sets it as the task runs; leave it out of a create request\n");
    assertThat(api.calls).isEmpty();
  }

  @Test
  void taskListGetRmAndCancel() {
    api.on("GET /v1/tasks?domain=apps", "[" + task("COMPLETED", true, "cancelled", "") + "]");
    api.on("GET /v1/tasks/job-1", task("RUNNING", false, "", ""));
    api.on("DELETE /v1/tasks/job-1", 204, "");
    api.on("POST /v1/tasks/job-1/cancel", 204, "");
    assertThat(api.berth("task", "list", "--domain", "apps").out()).isEqualTo("""
        TASK_GUID   DOMAIN   STATE       CELL    IMAGE            OUTCOME
        job-1       apps     COMPLETED   node1   busybox:latest   failed: cancelled
        """);
    assertThat(api.berth("task", "get", "job-1").out()).contains("STATE       RUNNING\n").contains("OUTCOME     -\n");
    assertThat(api.berth("task", "rm", "job-1").out()).isEqualTo("job-1\n");
    assertThat(api.berth("task", "cancel", "job-1").out()).isEqualTo("job-1: cancelled\n");
    assertThat(api.calls("POST", "/v1/tasks/job-1/cancel").get(0).body()).isEmpty();
  }

  @Test
  void domainSetSendsTheTtlAsCacheControl() {
    api.on("PUT /v1/domains/apps", 204, "");
    assertThat(api.berth("domain", "set", "apps", "--ttl", "2m").out()).isEqualTo("apps: fresh for 120s\n");
    assertThat(api.berth("domain", "set", "apps").out()).isEqualTo("apps: fresh for ever\n");
    assertThat(api.calls("PUT", "/v1/domains/apps")).extracting(FakeApi.Call::cacheControl).containsExactly("max-age=120", null);
    FakeApi.Result r = api.usageError("domain", "set", "apps", "--ttl", "1500ms");
    assertThat(r.err()).startsWith("berth domain set: --ttl must be a whole number of seconds, at least 1s, not 1500ms\n");
    assertThat(api.berth("domain", "set", "apps", "--ttl", "soon").exit()).isEqualTo(2);
  }

  @Test
  void domainListPrintsOnePerLine() {
    api.on("GET /v1/domains", "[\"apps\", \"jobs\"]");
    assertThat(api.berth("domain", "list").out()).isEqualTo("apps\njobs\n");
  }

  @Test
  void nodeDrainPostsAndWatchesInstancesLeave() {
    api.on("POST /v1/nodes/node1/drain", 204, "");
    api.on("GET /v1/actual_lrps",
        "[{\"process_guid\": \"web\", \"index\": 0, \"cell_id\": \"node1\"}, {\"process_guid\": \"web\", \"index\": 1, \"cell_id\": \"node2\"}]",
        "[{\"process_guid\": \"web\", \"index\": 0, \"cell_id\": \"node2\"}, {\"process_guid\": \"web\", \"index\": 1, \"cell_id\": \"node2\"}]");
    FakeApi.Result r = api.ok("node", "drain", "node1", "--watch");
    assertThat(r.out()).isEqualTo("node1: draining\nnode1: 1 instance left\nnode1: drained\n");
    assertThat(api.calls("POST", "/v1/nodes/node1/drain")).hasSize(1);
  }

  @Test
  void anUnreachableManagerIsOneLine() {
    FakeApi.Result r = FakeApi.run("task", "list", "--api", "http://127.0.0.1:1", "--token", "t");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("berth task list: cannot reach the manager at http://127.0.0.1:1: connection refused (is it running?)\n");
  }
}

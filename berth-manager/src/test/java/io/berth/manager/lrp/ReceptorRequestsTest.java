package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.id.ProcessGuid;
import io.berth.core.id.TaskGuid;
import io.berth.core.lrp.Action;
import io.berth.core.lrp.DesiredLrp;
import io.berth.core.lrp.DesiredLrpUpdate;
import io.berth.core.lrp.HealthCheck;
import io.berth.core.lrp.Task;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceptorRequestsTest {
  static final String RUN = "{\"run\": {\"path\": \"/bin/sh\", \"args\": [\"-c\", \"sleep 600\"], \"user\": \"root\"}}";
  static final String LRP = """
      {"process_guid": "web", "domain": "apps", "rootfs": "docker:///busybox#1", "instances": 2,
       "memory_mb": 64, "ports": [8080], "health_check": {"type": "http", "port": 8080, "path": "/"},
       "routes": {"cf-router": [{"hostnames": ["web.example.com"], "port": 8080}]},
       "action": %s}""".formatted(RUN);
  static final String TASK = """
      {"task_guid": "job-1", "domain": "apps", "rootfs": "docker:///busybox", "result_file": "/out", "action": %s}"""
      .formatted(RUN);

  @Test
  void decodesAReceptorDesiredLrp() {
    DesiredLrp lrp = ReceptorRequests.desiredLrp(bytes(LRP));
    assertThat(lrp.processGuid()).isEqualTo(new ProcessGuid("web"));
    assertThat(lrp.instances()).isEqualTo(2);
    assertThat(lrp.healthCheck()).isEqualTo(new HealthCheck(HealthCheck.Kind.HTTP, 8080, "/"));
    assertThat(((Action.Run) lrp.action()).args()).containsExactly("-c", "sleep 600");
    assertThat(lrp.routes()).containsKey("cf-router");
    assertThat(lrp.modificationTag()).isNull();
  }

  @Test
  void decodesATaskAndAnUpdate() {
    Task t = ReceptorRequests.task(bytes(TASK));
    assertThat(t.taskGuid()).isEqualTo(new TaskGuid("job-1"));
    assertThat(t.state()).isNull();
    assertThat(ReceptorRequests.update(bytes("{\"instances\": 5}"))).isEqualTo(new DesiredLrpUpdate(5, null, null));
    assertThat(ReceptorRequests.update(bytes("{}"))).isEqualTo(new DesiredLrpUpdate(null, null, null));
  }

  /** One row per edge rule: a DesiredLRP body and the whole message it must produce. */
  static Stream<Arguments> badLrps() {
    return Stream.of(
        row("instances missing", without(LRP, "\"instances\": 2,"), "instances: required"),
        row("instances null", LRP.replace("\"instances\": 2", "\"instances\": null"), "instances: required"),
        row("everything missing", "{}", "process_guid: required; domain: required; rootfs: required; instances: required; action: required"),
        row("instances a word", LRP.replace("\"instances\": 2", "\"instances\": \"three\""), "instances: expected a number, got \"three\""),
        row("instances a fraction", LRP.replace("\"instances\": 2", "\"instances\": 2.5"), "instances: expected a number, got 2.5"),
        row("instances too big for int", LRP.replace("\"instances\": 2", "\"instances\": 99999999999"),
            "instances: expected a number that fits, got 99999999999"),
        row("unknown field", LRP.replace("\"instances\": 2", "\"instance\": 2"),
            "unknown field 'instance' (did you mean 'instances'?); instances: required"),
        row("unknown field far from any", LRP.replace("\"memory_mb\"", "\"colour\""), "unknown field 'colour'"),
        row("unknown nested field", LRP.replace("\"user\": \"root\"", "\"usr\": \"root\""),
            "action.run: unknown field 'usr' (did you mean 'user'?)"),
        row("modification_tag is Berth's", LRP.replace("\"instances\": 2", "\"instances\": 2, \"modification_tag\": {\"epoch\": \"e\", \"index\": 1}"),
            "modification_tag: Berth sets it; leave it out of a create request"),
        row("domain an object", LRP.replace("\"apps\"", "{\"name\": \"apps\"}"), "domain: expected a string, got {\"name\":\"apps\"}"),
        row("privileged a word", LRP.replace("\"instances\": 2", "\"instances\": 2, \"privileged\": \"yes\""),
            "privileged: expected true or false, got \"yes\""),
        row("ports a string", LRP.replace("[8080]", "\"8080\""), "ports: expected a list, got \"8080\""),
        row("port a word", LRP.replace("[8080]", "[8080, \"http\"]"), "ports[1]: expected a number, got \"http\""),
        row("port null", LRP.replace("[8080]", "[8080, null]"), "ports[1]: must not be null"),
        row("health type", LRP.replace("\"type\": \"http\"", "\"type\": \"udp\""), "health_check.type: expected one of tcp, http, got \"udp\""),
        row("routes a list", LRP.replace("{\"cf-router\": [{\"hostnames\": [\"web.example.com\"], \"port\": 8080}]}", "[]"),
            "routes: expected an object, got []"),
        row("unknown action", LRP.replace(RUN, "{\"fly\": {}}"),
            "action: unknown action 'fly': one of run, download, upload, serial, parallel, codependent, emit_progress, timeout, try"),
        row("action a string", LRP.replace(RUN, "\"run\""),
            "action: expected an action, an object with one key naming it ({\"run\": {...}}), got \"run\""),
        row("action with no kind", LRP.replace(RUN, "{}"), "action: expected an action, an object with one key naming it ({\"run\": {...}}), got {}"),
        row("null deep in the tree", LRP.replace(RUN, "{\"serial\": {\"actions\": [" + RUN + ", null]}}"),
            "action.serial.actions[1]: must not be null"),
        row("wrong type deep in the tree", LRP.replace(RUN, "{\"serial\": {\"actions\": [{\"try\": {\"action\": {\"run\": {\"args\": \"-c\"}}}}]}}"),
            "action.serial.actions[0].try.action.run.args: expected a list, got \"-c\""),
        row("then the rules", LRP.replace("\"instances\": 2", "\"instances\": -1").replace("\"path\": \"/bin/sh\", ", ""),
            "instances: must be between 0 and 10000, got -1; action.run.path: required"),
        row("routes measured as JSON", LRP.replace("\"web.example.com\"", "\"" + "a".repeat(4100) + "\""),
            "routes: must be at most 4096 bytes of JSON, got 4146"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLrps")
  void rejectsADesiredLrpNamingTheField(String rule, String body, String message) {
    assertThatThrownBy(() -> ReceptorRequests.desiredLrp(bytes(body)))
        .isInstanceOf(BerthException.Invalid.class).hasMessage(message);
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        row("empty", "", "request body: required, a JSON object"),
        row("not an object", "[1]", "request body: must be a JSON object, got [1]"),
        row("malformed", "{\"instances\": 2,,}", "request body: malformed JSON at line 1, column 17: Unexpected character (',' (code 44)): was expecting double-quote to start field name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void rejectsWhatIsNotAJsonObject(String rule, String body, String message) {
    assertThatThrownBy(() -> ReceptorRequests.desiredLrp(bytes(body))).isInstanceOf(BerthException.Invalid.class).hasMessage(message);
    assertThatThrownBy(() -> ReceptorRequests.task(bytes(body))).hasMessage(message);
    assertThatThrownBy(() -> ReceptorRequests.update(bytes(body))).hasMessage(message);
  }

  @Test
  void aTaskCreateMayNotCarryWhatBerthWrites() {
    String body = TASK.replace("\"domain\"", "\"state\": \"COMPLETED\", \"failed\": true, \"result\": \"x\", \"domain\"");
    assertThatThrownBy(() -> ReceptorRequests.task(bytes(body))).isInstanceOf(BerthException.Invalid.class).hasMessage(String.join("; ",
        "state: Berth sets it as the task runs; leave it out of a create request",
        "failed: Berth sets it as the task runs; leave it out of a create request",
        "result: Berth sets it as the task runs; leave it out of a create request"));
    assertThatThrownBy(() -> ReceptorRequests.task(bytes(without(TASK, "\"task_guid\": \"job-1\",")))).hasMessage("task_guid: required");
    assertThatThrownBy(() -> ReceptorRequests.task(bytes(TASK.replace("\"/out\"", "\"out\""))))
        .hasMessage("result_file: must be an absolute path, got \"out\"");
  }

  @Test
  void anUpdateNamesWhatCannotChangeInPlace() {
    assertThatThrownBy(() -> ReceptorRequests.update(bytes("{\"instances\": 1, \"rootfs\": \"docker:///nginx\"}")))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessage("rootfs: cannot change in place, only instances, routes and annotation can; create a new DesiredLRP for it");
    assertThatThrownBy(() -> ReceptorRequests.update(bytes("{\"instancs\": 1}"))).hasMessage("unknown field 'instancs' (did you mean 'instances'?)");
    assertThatThrownBy(() -> ReceptorRequests.update(bytes("{\"instances\": 10001}"))).hasMessage("instances: must be between 0 and 10000, got 10001");
    assertThatThrownBy(() -> ReceptorRequests.update(bytes("{\"routes\": {\"r\": \"" + "x".repeat(4096) + "\"}}")))
        .hasMessage("routes: must be at most 4096 bytes of JSON, got 4104");
  }

  static Arguments row(String rule, String body, String message) {
    return Arguments.of(rule, body, message);
  }

  static String without(String body, String part) {
    assertThat(body).contains(part);
    return body.replace(part, "");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

}

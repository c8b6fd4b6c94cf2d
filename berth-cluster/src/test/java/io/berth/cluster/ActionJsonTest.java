package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.lrp.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionJsonTest {
  @Test
  void readsAndWritesDiegosOneKeyObjects() {
    String json = """
        {"serial": {"actions": [
          {"download": {"from": "http://127.0.0.1:9/app.tgz", "to": "/app", "user": "root", "cache_key": "app"}},
          {"emit_progress": {"action": {"run": {"path": "/bin/sh", "args": ["-c", "echo hi"], "user": "root",
              "env": [{"name": "A", "value": "1"}], "resource_limits": {"nofile": 1024}}},
            "start_message": "starting", "failure_message_prefix": "failed"}},
          {"timeout": {"action": {"try": {"action": {"run": {"path": "false", "user": "root"}}}}, "timeout": 1000000000}}
        ]}}""";
    Action a = Json.read(json.getBytes(StandardCharsets.UTF_8), Action.class);
    Action.Serial s = (Action.Serial) a;
    assertThat(s.actions()).hasSize(3);
    assertThat(((Action.Download) s.actions().get(0)).cacheKey()).isEqualTo("app");
    Action.Run run = (Action.Run) ((Action.EmitProgress) s.actions().get(1)).action();
    assertThat(run.args()).containsExactly("-c", "echo hi");
    assertThat(run.env()).containsExactly(new Action.EnvVar("A", "1"));
    assertThat(run.resourceLimits().nofile()).isEqualTo(1024L);
    assertThat(((Action.Timeout) s.actions().get(2)).timeout()).isEqualTo(1_000_000_000L);

    String written = new String(Json.bytes(a), StandardCharsets.UTF_8);
    assertThat(written).startsWith("{\"serial\":{\"actions\":[{\"download\":").contains("\"emit_progress\":{\"action\":{\"run\":")
        .doesNotContain("null");
    assertThat(Json.read(written.getBytes(StandardCharsets.UTF_8), Action.class)).isEqualTo(a);
    assertThat(Json.bytes(new Action.Serial(List.of(new Action.Try(null, null)), null))).asString(StandardCharsets.UTF_8)
        .isEqualTo("{\"serial\":{\"actions\":[{\"try\":{}}]}}");
  }

  @Test
  void anUnknownActionIsAnErrorNamingIt() {
    assertThatThrownBy(() -> Json.read("{\"fly\": {}}".getBytes(StandardCharsets.UTF_8), Action.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fly");
  }
}

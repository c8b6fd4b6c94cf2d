package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.engine.FakeEngine;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildNodeTest {
  private static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 2378);

  private static AgentConfig config(Map<String, String> labels) {
    return new AgentConfig("127.0.0.1:2377", null, ADDR, ADDR, "tcp://127.0.0.1:1", "n1", labels, Path.of("/tmp/none"));
  }

  @Test
  void onlyANodeLabelledBerthBuildTrueTakesBuilds() {
    FakeEngine plain = new FakeEngine();
    FakeEngine labelled = FakeEngine.builder().labels(Map.of("berth.build", "true")).build();
    assertThat(Agent.buildNode(config(Map.of("berth.build", "true")), plain)).isTrue();
    assertThat(Agent.buildNode(config(Map.of()), labelled)).isTrue();
    assertThat(Agent.buildNode(config(Map.of("berth.build", "false")), labelled)).isFalse();
    assertThat(Agent.buildNode(config(Map.of("disk", "ssd")), plain)).isFalse();
  }

  @Test
  void buildSlotsDefaultToTwoAndMustBePositive() {
    assertThat(config(Map.of()).buildSlots()).isEqualTo(AgentConfig.BUILD_SLOTS).isEqualTo(2);
    assertThat(config(Map.of()).withBuildSlots(4).buildSlots()).isEqualTo(4);
    assertThatThrownBy(() -> config(Map.of()).withBuildSlots(0)).hasMessageContaining("--build-slots");
  }
}

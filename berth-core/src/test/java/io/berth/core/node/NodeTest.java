package io.berth.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.id.NodeName;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {
  private static final EngineFacts ENGINE = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 1L << 30);

  @Test
  void rejectsNamesThatAreNotDnsLabels() {
    assertThatThrownBy(() -> NodeNames.check("no spaces")).hasMessageContaining("invalid node name 'no spaces'");
    assertThatThrownBy(() -> NodeNames.check("-lead")).isInstanceOf(IllegalArgumentException.class);
    assertThat(NodeNames.check("node-1.a_b")).isEqualTo("node-1.a_b");
  }

  @Test
  void changingStateKeepsIdentityAndStampsTime() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Node n = new Node(NodeName.of("n1"), "id1", "127.0.0.11:12376", NodeState.READY, ENGINE, Map.of("k", "v"), t0, t0);
    Node down = n.withState(NodeState.DOWN, t0.plusSeconds(10));
    assertThat(down.state()).isEqualTo(NodeState.DOWN);
    assertThat(down.changedAt()).isEqualTo(t0.plusSeconds(10));
    assertThat(down.joinedAt()).isEqualTo(t0);
    assertThat(down.host()).isEqualTo("127.0.0.11");
  }
}

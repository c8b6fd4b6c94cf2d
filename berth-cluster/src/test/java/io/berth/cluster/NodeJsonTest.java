package io.berth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.core.node.NodeState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeJsonTest {
  /** A node record as the store and {@code GET /v1/nodes} held it while its name was a String. */
  static final String STORED = "{\"name\":\"n1\",\"id\":\"id1\",\"address\":\"127.0.0.11:12376\",\"state\":\"ready\","
      + "\"engine\":{\"engine_version\":\"20.10.24\",\"api_version\":\"1.41\",\"operating_system\":\"Debian\","
      + "\"kernel_version\":\"6.1\",\"storage_driver\":\"overlay2\",\"architecture\":\"x86_64\",\"cpus\":2,"
      + "\"memory_bytes\":1073741824},\"labels\":{\"disk\":\"ssd\"},\"joined_at\":\"2026-01-01T00:00:00Z\","
      + "\"changed_at\":\"2026-01-01T00:00:10Z\",\"access\":\"engine\"}";

  @Test
  void aNodeRecordIsTheSameJsonWithItsNameTyped() {
    Node n = new Node(NodeName.of("n1"), "id1", "127.0.0.11:12376", NodeState.READY,
        new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 1L << 30), Map.of("disk", "ssd"),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:10Z"), NodeAccess.ENGINE);
    assertThat(new String(Json.bytes(n), StandardCharsets.UTF_8)).isEqualTo(STORED);
    assertThat(Json.read(STORED.getBytes(StandardCharsets.UTF_8), Node.class)).isEqualTo(n);
  }

  @Test
  void aStoredRecordWithABadOrMissingNameIsRefused() {
    assertThatThrownBy(() -> Json.read(STORED.replace("\"n1\"", "\"no spaces\"").getBytes(StandardCharsets.UTF_8), Node.class))
        .hasMessageContaining("invalid node name 'no spaces'");
    assertThatThrownBy(() -> Json.read(STORED.replace("\"name\":\"n1\",", "").getBytes(StandardCharsets.UTF_8), Node.class))
        .hasMessageContaining("invalid node name 'null'");
  }

  @Test
  void anAgentsVersionIsStoredAndReadBack() {
    Node n = Json.read(STORED.getBytes(StandardCharsets.UTF_8), Node.class);
    Node versioned = new Node(n.name(), n.id(), n.address(), n.state(), n.engine(), n.labels(), n.joinedAt(), n.changedAt(),
        NodeAccess.AGENT, "0.2.0");
    String json = new String(Json.bytes(versioned), StandardCharsets.UTF_8);
    assertThat(json).endsWith(",\"access\":\"agent\",\"version\":\"0.2.0\"}");
    assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), Node.class)).isEqualTo(versioned);
    assertThat(versioned.withState(NodeState.DOWN, n.changedAt()).version()).isEqualTo("0.2.0");
  }
}

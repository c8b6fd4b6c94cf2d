package io.berth.manager.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import io.berth.core.node.NodeState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRecordsTest {
  private static final EngineFacts ENGINE = new EngineFacts("27.0.0", "1.41", "linux", "6.1", "overlay2", "x86_64", 2, 1L << 30);

  private static Node node(String name, NodeState state) {
    Instant t = Instant.parse("2026-12-07T00:00:00Z");
    return new Node(NodeName.of(name), "id-" + name, "127.0.0.1:12376", state, ENGINE, Map.of(), t, t, NodeAccess.AGENT, "");
  }

  @Test
  void listsByNameWithoutTheRemovedAndNeverLetsAnOlderRevisionWin() {
    NodeRecords records = new NodeRecords();
    records.remember(node("n3", NodeState.READY), 5);
    records.remember(node("n1", NodeState.READY), 3);
    records.remember(node("n2", NodeState.READY), 4);
    records.removed(NodeName.of("n3"), 6);
    records.remember(node("n3", NodeState.READY), 5); // a late watch event of the record before its removal
    records.remember(node("n1", NodeState.DOWN), 7);
    records.remember(node("n1", NodeState.READY), 3);

    assertThat(records.all()).extracting(n -> n.name().value()).containsExactly("n1", "n2");
    assertThat(records.get(NodeName.of("n1")).state()).isEqualTo(NodeState.DOWN);
    assertThat(records.get(NodeName.of("n3"))).isNull();
  }
}

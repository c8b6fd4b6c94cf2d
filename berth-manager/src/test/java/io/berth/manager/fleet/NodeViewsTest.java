package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.NodeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's view of a node holds the networks its engine listed, by id and name, and is rebuilt when they change. */
class NodeViewsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Node N1 = node("n1");
  static final Node N2 = node("n2");

  @Test
  void aNodesViewHoldsItsNetworksByIdAndNameAndANodeThatListedNoneHoldsNone() throws Exception {
    Map<Node, JsonNode> images = Map.of(N1, JSON.createArrayNode(), N2, JSON.createArrayNode());
    Map<Node, JsonNode> networks = Map.of(N1, JSON.readTree("[{\"Id\":\"abc123\",\"Name\":\"web_default\"}]"));
    List<NodeView> views = new NodeViews().of(List.of(new ClusterView.Held(N1, List.of(), 1), new ClusterView.Held(N2, List.of(), 1)),
        images, networks);
    assertThat(views.get(0).networks()).containsExactlyInAnyOrder("abc123", "web_default");
    assertThat(views.get(1).networks()).isEmpty();
  }

  @Test
  void aNewCacheVersionRebuildsTheViewWithTheNetworksMadeSince() throws Exception {
    NodeViews kept = new NodeViews();
    Map<Node, JsonNode> images = Map.of(N1, JSON.createArrayNode());
    kept.of(List.of(new ClusterView.Held(N1, List.of(), 1)), images, images);
    Map<Node, JsonNode> made = Map.of(N1, JSON.readTree("[{\"Id\":\"def456\",\"Name\":\"back\"}]"));
    assertThat(kept.of(List.of(new ClusterView.Held(N1, List.of(), 1)), images, made).get(0).networks())
        .as("same version: the kept view").isEmpty();
    assertThat(kept.of(List.of(new ClusterView.Held(N1, List.of(), 2)), images, made).get(0).networks()).contains("back");
  }

  private static Node node(String name) {
    return new Node(NodeName.of(name), name + "-id", "127.0.0.1:2375", NodeState.READY,
        new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30), Map.of(), Instant.EPOCH, Instant.EPOCH);
  }
}

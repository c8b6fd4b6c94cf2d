package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A fan-out asks every node and answers in node order, never more than {@link NodeCalls#IN_FLIGHT} calls at once. */
class NodeCallsTest {
  @Test
  void aFanOutToManyNodesKeepsAtMostItsBoundOfCallsUnderWay() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (ScriptedEngine engine = new ScriptedEngine((n, req, out) -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      try {
        Thread.sleep(20); // a node's answer takes a while: the calls overlap as far as the bound lets them
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      now.decrementAndGet();
      return ScriptedEngine.write(out, ScriptedEngine.ok("[{\"Id\":\"c" + n + "\"}]"));
    })) {
      Node one = engine.node(NodeAccess.ENGINE);
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < 300; i++) { // 300 nodes (one engine behind them all, each its own name)
        nodes.add(new Node(NodeName.of("n" + i), "id" + i, one.address(), one.state(), one.engine(), Map.of(), one.joinedAt(),
            one.changedAt(), one.access()));
      }
      Map<Node, JsonNode> answers = new NodeCalls(new NodeLink(null, null)).fanOut(nodes, "/containers/json?all=1");

      assertThat(answers.keySet()).containsExactlyElementsOf(nodes);
      assertThat(answers.values()).allMatch(a -> a.size() == 1);
      assertThat(most.get()).isLessThanOrEqualTo(NodeCalls.IN_FLIGHT).isGreaterThan(1);
    }
  }
}

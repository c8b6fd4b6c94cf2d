package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTalliesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Node N1 = new Node(NodeName.of("n1"), "n1-id", "127.0.0.1:2375", NodeState.READY,
      new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30), Map.of(), Instant.EPOCH, Instant.EPOCH);

  private static ContainerCache.Entry container(String state, long memory, double cpus) {
    ObjectNode s = JSON.createObjectNode().put("Id", "c-" + state).put("State", state);
    s.putObject("Labels").put(ClusterView.MEMORY_LABEL, Long.toString(memory)).put(ClusterView.CPUS_LABEL, Double.toString(cpus));
    return new ContainerCache.Entry(s, null);
  }

  @Test
  void countsRunningContainersAndWhatTheyReserve() {
    NodeTallies.Tally t = NodeTallies.count(List.of(container("running", 100, 0.5), container("running", 50, 1), container("exited", 7, 2)));
    assertThat(t.count()).isEqualTo(3);
    assertThat(t.up()).isEqualTo(2);
    assertThat(t.reservedMem()).isEqualTo(150);
    assertThat(t.reservedCpus()).isEqualTo(1.5);
  }

  @Test
  void keepsANodesTallyForItsCacheVersionAndCountsAgainOnANewOne() {
    NodeTallies tallies = new NodeTallies();
    List<ContainerCache.Entry> one = List.of(container("running", 100, 1));
    List<ContainerCache.Entry> two = List.of(container("running", 100, 1), container("running", 100, 1));
    assertThat(tallies.of(List.of(new ClusterView.Held(N1, one, 3))).get(N1.name()).count()).isEqualTo(1);
    assertThat(tallies.of(List.of(new ClusterView.Held(N1, two, 3))).get(N1.name()).count()).as("same version: kept").isEqualTo(1);
    assertThat(tallies.of(List.of(new ClusterView.Held(N1, two, 4))).get(N1.name()).count()).isEqualTo(2);
    assertThat(tallies.of(List.of(new ClusterView.Held(N1, one, -1))).get(N1.name()).count()).as("read afresh: never kept").isEqualTo(1);
  }
}

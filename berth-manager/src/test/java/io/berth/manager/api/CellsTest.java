package io.berth.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cluster.Json;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/cells}: each ready node as Diego's rep reports its cell. */
class CellsTest {
  static Node node(String name, NodeState state, Map<String, String> labels) {
    EngineFacts facts = new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 4, 8L << 30);
    return new Node(NodeName.of(name), "id-" + name, "10.0.0.1:12376", state, facts, labels, Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void capacityHasTheNodesMemoryItsDiskLabelAndItsContainerSlotsOr256() throws Exception {
    List<BerthApi.Cell> cells = BerthApi.cells(List.of(
        node("n1", NodeState.READY, Map.of("zone", "z1", "containerslots", "12", "disk_mb", "51200")),
        node("n2", NodeState.READY, Map.of()),
        node("n3", NodeState.READY, Map.of("containerslots", "many", "disk_mb", "-5")),
        node("n4", NodeState.DOWN, Map.of())));
    JsonNode json = Json.MAPPER.readTree(Json.bytes(cells));
    assertThat(json).hasSize(3);
    assertThat(json.get(0).path("cell_id").asText()).isEqualTo("n1");
    assertThat(json.get(0).path("zone").asText()).isEqualTo("z1");
    assertThat(json.get(0).path("capacity").toString()).isEqualTo("{\"memory_mb\":8192,\"disk_mb\":51200,\"containers\":12,\"cpus\":4}");
    assertThat(json.get(1).path("capacity").toString()).isEqualTo("{\"memory_mb\":8192,\"disk_mb\":0,\"containers\":256,\"cpus\":4}");
    assertThat(json.get(2).path("capacity").toString()).as("malformed labels count as missing")
        .isEqualTo("{\"memory_mb\":8192,\"disk_mb\":0,\"containers\":256,\"cpus\":4}");
    assertThat(json.get(0).path("rootfs_providers").toString()).isEqualTo("{\"docker\":[]}");
  }
}

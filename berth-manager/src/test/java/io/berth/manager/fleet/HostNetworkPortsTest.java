package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest.HostPort;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a host-network container holds on its node, as the scheduler's view shows it. */
class HostNetworkPortsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aHostNetworkContainerHoldsEveryPortItExposesWhileItReserves() throws Exception {
    String exposed = "\"Config\":{\"ExposedPorts\":{\"8080/tcp\":{},\"53/udp\":{}}}";
    ContainerStatus host = ContainerStatus.of(JSON.readTree("{\"State\":{\"Running\":true,\"StartedAt\":\"2026-12-06T09:00:00Z\"},"
        + "\"HostConfig\":{\"NetworkMode\":\"host\"}," + exposed + "}"));
    ContainerStatus bridged = ContainerStatus.of(JSON.readTree("{\"State\":{\"Running\":true},\"HostConfig\":{\"NetworkMode\":\"default\"},"
        + exposed + "}"));
    ContainerStatus exited = ContainerStatus.of(JSON.readTree("{\"State\":{\"Running\":false,\"StartedAt\":\"2026-12-06T09:00:00Z\","
        + "\"FinishedAt\":\"2026-12-06T09:01:00Z\"},\"HostConfig\":{\"NetworkMode\":\"host\"}," + exposed + "}"));
    assertThat(host.hostNetworkPorts()).containsExactly(new HostPort("", 8080, "tcp"), new HostPort("", 53, "udp"));
    assertThat(bridged.hostNetworkPorts()).as("off the host's network, exposing takes nothing").isEmpty();

    List<NodeView> views = new NodeViews().of(List.of(new ClusterView.Held(node(),
        List.of(entry("aaa", host), entry("bbb", bridged), entry("ccc", exited)), 1)), Map.of(node(), JSON.createArrayNode()), Map.of());
    Map<String, List<HostPort>> ports = new HashMap<>();
    views.get(0).containers().forEach(c -> ports.put(c.id(), c.ports()));
    assertThat(ports.get("aaa")).containsExactly(new HostPort("", 8080, "tcp"), new HostPort("", 53, "udp"));
    assertThat(ports.get("bbb")).isEmpty();
    assertThat(ports.get("ccc")).as("an exited host-network container binds nothing").isEmpty();
  }

  @Test
  void anImageIsNamedByTagDigestOrId() throws Exception {
    var image = JSON.readTree("{\"Id\":\"sha256:0123456789abcdef0123\",\"RepoTags\":[\"web:latest\",\"web:1\"],\"RepoDigests\":[\"web@sha256:ff\"]}");
    assertThat(ImagePorts.names(image, "web")).isTrue();
    assertThat(ImagePorts.names(image, "web:1")).isTrue();
    assertThat(ImagePorts.names(image, "web@sha256:ff")).isTrue();
    assertThat(ImagePorts.names(image, "0123456789ab")).isTrue();
    assertThat(ImagePorts.names(image, "sha256:0123456789abcdef0123")).isTrue();
    assertThat(ImagePorts.names(image, "web:2")).isFalse();
    assertThat(ImagePorts.names(image, "0123")).as("too short a prefix").isFalse();
  }

  private static ContainerCache.Entry entry(String id, ContainerStatus status) {
    ObjectNode summary = JSON.createObjectNode().put("Id", id).put("Image", "web");
    summary.putArray("Names").add("/" + id);
    return new ContainerCache.Entry(summary, status);
  }

  private static Node node() {
    return NODE;
  }

  private static final Node NODE = new Node(NodeName.of("n1"), "n1-id", "127.0.0.1:2375", NodeState.READY,
      new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30), Map.of(), Instant.EPOCH, Instant.EPOCH);
}

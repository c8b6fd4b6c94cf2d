package io.berth.manager.docker;

import static io.berth.manager.docker.NetworksTest.JSON;
import static io.berth.manager.docker.NetworksTest.NODE1;
import static io.berth.manager.docker.NetworksTest.NODE2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.scheduler.Expr;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A create that joins local networks goes to their node; an impossible combination is a 400 naming the reason. */
class NetworkPlacementTest {
  /** node1 runs db1, node2 runs db2. */
  static final List<ClusterView.Held> HELD = List.of(new ClusterView.Held(NODE1, List.of(entry("d1d1d1d1d1d1d1", "db1")), 1),
      new ClusterView.Held(NODE2, List.of(entry("d2d2d2d2d2d2d2", "db2")), 1));

  @Test
  void composesCreateJoinsItsProjectNetworkOnItsNode() throws Exception {
    ObjectNode body = body("{\"HostConfig\":{\"NetworkMode\":\"web_default\"},"
        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"web_default\":{\"Aliases\":[\"db\",\"abc123\"]}}}}");
    assertThat(joined(body)).containsExactly("aaa111");
    assertThat(body.path("NetworkingConfig").path("EndpointsConfig").path("web_default").path("Aliases").get(0).asText()).isEqualTo("db");
  }

  @Test
  void nodeSlashNameAndIdsReachTheEngineAsItsOwnName() throws Exception {
    ObjectNode body = body("{\"HostConfig\":{\"NetworkMode\":\"node2/shared\"},"
        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"node2/shared\":{\"Aliases\":[\"x\"]},\"b2b2b2\":{}}}}");
    assertThat(joined(body)).containsExactly("ccc222", "b2b2b2");
    assertThat(body.path("HostConfig").path("NetworkMode").asText()).isEqualTo("shared");
    assertThat(body.path("NetworkingConfig").path("EndpointsConfig").fieldNames()).toIterable().containsExactly("shared", "bridge");
    assertThat(body.path("NetworkingConfig").path("EndpointsConfig").path("shared").path("Aliases").get(0).asText()).isEqualTo("x");
  }

  @Test
  void perNodeNetworksAndContainerNetworksAskNothing() throws Exception {
    for (String mode : List.of("", "default", "bridge", "host", "none", "container:db1")) {
      ObjectNode body = body("{\"HostConfig\":{\"NetworkMode\":\"" + mode + "\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{}}}}");
      assertThat(NetworkPlacement.joined(body, List.of(), HELD, () -> {
        throw new AssertionError("no network lookup for " + mode);
      })).isEmpty();
    }
  }

  @Test
  void networksOfTwoNodesAreRefused() {
    assertThatThrownBy(() -> joined(body("{\"HostConfig\":{\"NetworkMode\":\"web_default\"},"
        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"web_default\":{},\"node2/shared\":{}}}}")))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessage("network web_default is on node1, network shared on node2: a container joins the local networks of one node only");
  }

  @Test
  void aNetworkOnOneNodeAndALinkToAContainerOnAnotherAreRefused() throws Exception {
    assertThatThrownBy(() -> joined(body("{\"HostConfig\":{\"NetworkMode\":\"web_default\",\"Links\":[\"/db2:/web/db\"]}}")))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessage("network web_default is on node1, container db2 on node2: a container joins a local network on that network's node");
    assertThat(joined(body("{\"HostConfig\":{\"NetworkMode\":\"web_default\",\"Links\":[\"db1:db\"]}}"))).containsExactly("aaa111");
  }

  @Test
  void aNodeConstraintThatExcludesTheNetworksNodeIsRefused() throws Exception {
    assertThatThrownBy(() -> NetworkPlacement.joined(body("{\"HostConfig\":{\"NetworkMode\":\"web_default\"}}"),
        List.of(Expr.parse("constraint", "node==node2")), HELD, NetworkPlacementTest::networks))
        .isInstanceOf(BerthException.Invalid.class)
        .hasMessage("network web_default is on node1, but the constraint node==node2 excludes that node");
    assertThat(NetworkPlacement.joined(body("{\"HostConfig\":{\"NetworkMode\":\"web_default\"}}"),
        List.of(Expr.parse("constraint", "node==node1")), HELD, NetworkPlacementTest::networks)).containsExactly("aaa111");
  }

  @Test
  void anUnknownOrAmbiguousNetworkIsNamed() {
    assertThatThrownBy(() -> joined(body("{\"HostConfig\":{\"NetworkMode\":\"nope\"}}")))
        .isInstanceOf(BerthException.NotFound.class).hasMessage("network nope not found");
    assertThatThrownBy(() -> joined(body("{\"HostConfig\":{\"NetworkMode\":\"shared\"}}")))
        .isInstanceOf(BerthException.Invalid.class).hasMessageContaining("network shared is ambiguous");
  }

  private static List<String> joined(ObjectNode body) {
    return NetworkPlacement.joined(body, List.of(), HELD, NetworkPlacementTest::networks);
  }

  private static Networks networks() {
    try {
      return NetworksTest.cluster();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private static ContainerCache.Entry entry(String id, String name) {
    ObjectNode summary = JSON.createObjectNode().put("Id", id);
    summary.putArray("Names").add("/" + name);
    return new ContainerCache.Entry(summary, null);
  }
}

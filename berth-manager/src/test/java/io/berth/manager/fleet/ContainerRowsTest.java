package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.identity.Principal;
import io.berth.core.identity.ResourceKind;
import io.berth.core.identity.Role;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/containers}: the rows are what {@code docker ps -a} through the endpoint shows the caller. */
class ContainerRowsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  final TestAccess access = new TestAccess().member("gail", ResourceKind.APP, "web", Role.GUEST);
  final Ownership owners = new Ownership(access);
  final Node n1 = node("n1", "10.0.0.1:2376");
  final Node n2 = node("n2", "10.0.0.2:2376");
  final Map<Node, List<ContainerCache.Entry>> entries = Map.of(
      n1, List.of(entry("aaa", "/web-v3-0", "berth/busybox:1", 100,
          "{\"io.berth.domain\":\"apps\",\"io.berth.process-guid\":\"web-v3\"}",
          "[{\"IP\":\"0.0.0.0\",\"PrivatePort\":8080,\"PublicPort\":32768,\"Type\":\"tcp\"},"
              + "{\"IP\":\"::\",\"PrivatePort\":8080,\"PublicPort\":32768,\"Type\":\"tcp\"}]")),
      n2, List.of(entry("bbb", "/scratch", "busybox", 200, "{\"io.berth.owner\":\"alice\"}", "[]"),
          entry("ccc", "/sidecar", "busybox", 50, "{}", "[]")));

  @Test
  void anAppsInstanceCarriesItsAppVersionAndPortsOnTheNodesAddress() {
    List<ContainerRows.Row> rows = ContainerRows.visible(entries, owners, new Principal("gail", false, "token"), null, NOW);
    assertThat(rows).extracting(ContainerRows.Row::id).containsExactly("aaa");
    ContainerRows.Row web = rows.get(0);
    assertThat(web.name()).isEqualTo("web-v3-0");
    assertThat(web.node()).isEqualTo("n1");
    assertThat(web.app()).isEqualTo("web");
    assertThat(web.version()).isEqualTo(3);
    assertThat(web.owner()).isNull();
    assertThat(web.state()).isEqualTo("running");
    assertThat(web.ports()).as("one row per port, not per address family")
        .containsExactly(new ContainerRows.Port("10.0.0.1", 8080, 32768, "tcp"));
  }

  @Test
  void anOwnerSeesTheirOwnAndAnAdministratorEverythingNewestFirst() {
    assertThat(ContainerRows.visible(entries, owners, new Principal("alice", false, "token"), null, NOW))
        .extracting(ContainerRows.Row::id, ContainerRows.Row::owner).containsExactly(Tuple.tuple("bbb", "alice"));
    assertThat(ContainerRows.visible(entries, owners, new Principal("admin", true, "token"), null, NOW))
        .extracting(ContainerRows.Row::id).containsExactly("bbb", "aaa", "ccc");
    assertThat(ContainerRows.visible(entries, owners, new Principal("admin", true, "token"), "n2", NOW))
        .extracting(ContainerRows.Row::id).containsExactly("bbb", "ccc");
    assertThat(ContainerRows.visible(entries, owners, new Principal("nobody", false, "token"), null, NOW)).isEmpty();
  }

  static Node node(String name, String address) {
    return new Node(NodeName.of(name), "id-" + name, address, NodeState.READY, null, Map.of(), NOW, NOW);
  }

  static ContainerCache.Entry entry(String id, String name, String image, long created, String labels, String ports) {
    try {
      ObjectNode s = (ObjectNode) JSON.readTree("{\"Id\":\"" + id + "\",\"Names\":[\"" + name + "\"],\"Image\":\"" + image
          + "\",\"State\":\"running\",\"Status\":\"Up 1 minute\",\"Created\":" + created + ",\"Labels\":" + labels + ",\"Ports\":" + ports + "}");
      return new ContainerCache.Entry(s, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

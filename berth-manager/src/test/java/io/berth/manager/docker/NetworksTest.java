package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.EngineFacts;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every network is local to its node and shown as {@code NODE/NAME}; lookups and filters as Swarm and the engine answer them. */
class NetworksTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Node NODE1 = node("node1");
  static final Node NODE2 = node("node2");

  /** node1: bridge, web_default (compose's labels), shared; node2: bridge, shared. */
  static Networks cluster() throws Exception {
    Map<Node, JsonNode> listings = new LinkedHashMap<>();
    listings.put(NODE1, JSON.readTree("[" + net("b1b1b1", "bridge", "bridge", "{}") + ","
        + net("aaa111", "web_default", "bridge", "{\"com.docker.compose.project\":\"web\"}") + ","
        + net("ccc111", "shared", "bridge", "{}") + "]"));
    listings.put(NODE2, JSON.readTree("[" + net("b2b2b2", "bridge", "bridge", "{}") + "," + net("ccc222", "shared", "macvlan", "{}") + "]"));
    return Networks.of(listings);
  }

  @Test
  void aNetworkIsFoundByIdNodeAndNameAUniqueNameOrAUniqueIdPrefix() throws Exception {
    Networks n = cluster();
    assertThat(n.find("aaa111").shown()).isEqualTo("node1/web_default");
    assertThat(n.find("node1/web_default").id()).isEqualTo("aaa111");
    assertThat(n.find("web_default").node()).isEqualTo(NODE1);
    assertThat(n.find("aa").name()).isEqualTo("web_default");
    assertThat(n.find("node2/shared").id()).isEqualTo("ccc222");
    assertThat(n.find("node2/bridge").id()).isEqualTo("b2b2b2");
  }

  @Test
  void aPlainNameOnTwoNodesIsAmbiguousAndNamesBoth() throws Exception {
    assertThatThrownBy(() -> cluster().find("shared")).isInstanceOf(BerthException.Invalid.class)
        .hasMessage("network shared is ambiguous: it is on several nodes (node1/shared, node2/shared); name it as NODE/NAME");
    assertThatThrownBy(() -> cluster().find("ccc")).isInstanceOf(BerthException.Invalid.class)
        .hasMessageContaining("network ccc is ambiguous (2 matches found based on ID prefix: node1/shared, node2/shared)");
  }

  @Test
  void anUnknownNetworkIsTheEnginesNotFound() {
    assertThatThrownBy(() -> cluster().find("node3/web_default")).isInstanceOf(BerthException.NotFound.class)
        .hasMessage("network node3/web_default not found");
  }

  @Test
  void theListingShowsEveryNetworkAsNodeSlashName() throws Exception {
    assertThat(names(cluster().listing(Map.of())))
        .containsExactly("node1/bridge", "node1/web_default", "node1/shared", "node2/bridge", "node2/shared");
  }

  @Test
  void filtersByNameIdDriverLabelAndType() throws Exception {
    assertThat(listed("{\"name\":[\"web_default\"]}")).containsExactly("node1/web_default");
    assertThat(listed("{\"name\":{\"node2/\":true}}")).containsExactly("node2/bridge", "node2/shared");
    assertThat(listed("{\"id\":[\"ccc2\"]}")).containsExactly("node2/shared");
    assertThat(listed("{\"driver\":[\"macvlan\"]}")).containsExactly("node2/shared");
    assertThat(listed("{\"label\":[\"com.docker.compose.project=web\"]}")).containsExactly("node1/web_default");
    assertThat(listed("{\"label\":[\"com.docker.compose.project=other\"]}")).isEmpty();
    assertThat(listed("{\"type\":[\"builtin\"]}")).containsExactly("node1/bridge", "node2/bridge");
    assertThat(listed("{\"type\":[\"custom\"],\"driver\":[\"bridge\"]}")).containsExactly("node1/web_default", "node1/shared");
  }

  @Test
  void aFilterLeftToTheEnginesIsNotAppliedHereAndAMalformedOneIsA400() throws Exception {
    assertThat(listed("{\"dangling\":[\"true\"]}")).hasSize(5);
    assertThatThrownBy(() -> listed("{\"type\":[\"overlay\"]}")).isInstanceOf(BerthException.Invalid.class)
        .hasMessage("invalid filter: 'type'='overlay'");
    assertThatThrownBy(() -> listed("{nope")).isInstanceOf(BerthException.Invalid.class).hasMessageStartingWith("invalid filters: ");
  }

  static List<String> listed(String filters) throws Exception {
    return names(cluster().listing(Networks.parseFilters(filters)));
  }

  static String net(String id, String name, String driver, String labels) {
    return "{\"Id\":\"" + id + "\",\"Name\":\"" + name + "\",\"Driver\":\"" + driver + "\",\"Scope\":\"local\",\"Labels\":" + labels + "}";
  }

  static List<String> names(JsonNode listing) {
    List<String> out = new ArrayList<>();
    listing.forEach(n -> out.add(n.path("Name").asText()));
    return out;
  }

  static Node node(String name) {
    return new Node(NodeName.of(name), name + "-id", "127.0.0.1:2375", NodeState.READY,
        new EngineFacts("20.10.24", "1.41", "Debian", "6.1", "overlay2", "x86_64", 2, 2L << 30), Map.of(), Instant.EPOCH, Instant.EPOCH);
  }
}

package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ContainerCache;
import io.berth.manager.fleet.ContainerStatus;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code docker ps} rows kept as bytes: the same bytes the tree would give, each Status at the call's time. */
class PsRowsTest {
  static final ObjectMapper JSON = DockerJson.MAPPER;
  static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
  final Node n1 = node("n1", "10.0.0.1:2376");

  @Test
  void rowsAreTheBytesTheTreeGivesWithTheStatusOfTheCall() throws Exception {
    List<PsRows.Hit> hits = List.of(new PsRows.Hit(n1, running("aaa", "/web", "2026-12-06T09:55:00Z"), 0),
        new PsRows.Hit(n1, listed("bbb", "/old"), 1));
    PsRows rows = new PsRows();
    for (Instant now : List.of(T, T.plusSeconds(3600))) {
      byte[] fast = bytes(rows, hits, now, Map.of(n1, entries(hits)));
      assertThat(new String(fast, "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(hits, now)));
    }
    assertThat(JSON.readTree(bytes(rows, hits, T, Map.of(n1, entries(hits)))).get(0).path("Status").asText()).isEqualTo("Up 5 minutes");
    assertThat(JSON.readTree(bytes(rows, hits, T, Map.of(n1, entries(hits)))).get(0).path("Names").get(0).asText()).isEqualTo("/n1/web");
  }

  @Test
  void aStatusThatNeedsEscapingIsEscaped() throws Exception {
    ContainerCache.Entry odd = new ContainerCache.Entry(running("aaa", "/web", "2026-12-06T09:55:00Z").summary(),
        ContainerStatus.of(JSON.readTree("{\"Created\":\"2026-12-06T09:50:00Z\",\"State\":{\"Status\":\"running\",\"Running\":true,"
            + "\"StartedAt\":\"2026-12-06T09:55:00Z\",\"Health\":{\"Status\":\"sick \\\"really\\\"\"}}}")));
    List<PsRows.Hit> hits = List.of(new PsRows.Hit(n1, odd, 0));
    assertThat(new String(bytes(new PsRows(), hits, T, Map.of(n1, entries(hits))), "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(hits, T)));
  }

  @Test
  void aChangedContainerOrNodeAddressIsRenderedAgain() throws Exception {
    PsRows rows = new PsRows();
    ContainerCache.Entry before = running("aaa", "/web", "2026-12-06T09:55:00Z");
    bytes(rows, List.of(new PsRows.Hit(n1, before, 0)), T, Map.of(n1, List.of(before)));
    ContainerCache.Entry renamed = running("aaa", "/api", "2026-12-06T09:55:00Z");
    assertThat(new String(bytes(rows, List.of(new PsRows.Hit(n1, renamed, 0)), T, Map.of(n1, List.of(renamed))), "UTF-8")).contains("/n1/api")
        .doesNotContain("/n1/web");
    Node moved = node("n1", "10.0.0.9:2376");
    ContainerCache.Entry published = withPort(renamed);
    assertThat(new String(bytes(rows, List.of(new PsRows.Hit(n1, published, 0)), T, Map.of(n1, List.of(published))), "UTF-8")).contains("10.0.0.1");
    assertThat(new String(bytes(rows, List.of(new PsRows.Hit(moved, published, 0)), T, Map.of(moved, List.of(published))), "UTF-8"))
        .contains("10.0.0.9").doesNotContain("10.0.0.1");
  }

  @Test
  void rowsOfContainersThatAreGoneAreLetGo() throws Exception {
    PsRows rows = new PsRows();
    List<PsRows.Hit> many = new ArrayList<>();
    for (int i = 0; i < 1100; i++) many.add(new PsRows.Hit(n1, listed("c" + i, "/c" + i), i));
    bytes(rows, many, T, Map.of(n1, entries(many)));
    assertThat(rows.size()).isEqualTo(1100);
    List<PsRows.Hit> few = many.subList(0, 10);
    bytes(rows, few, T, Map.of(n1, entries(many)));
    assertThat(rows.size()).as("a filtered listing keeps the rows of containers still there").isEqualTo(1100);
    bytes(rows, few, T, Map.of(n1, entries(few)));
    assertThat(rows.size()).as("the containers gone are dropped").isEqualTo(10);
  }

  @Test
  void aListingOfManyChunksIsTheTreesBytesAndItsLengthIsTheirCount() throws Exception {
    List<PsRows.Hit> many = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      many.add(new PsRows.Hit(i % 2 == 0 ? n1 : node("n2", "10.0.0.2:2376"), i % 3 == 0 ? listed("c" + i, "/c" + i)
          : running("r" + i, "/r" + i, "2026-12-06T09:5" + (i % 10) + ":00Z"), i / 2));
    }
    PsListing listing = new PsRows().listing(many, T, Map.of(n1, entries(many)));
    byte[] out = bytes(listing);
    assertThat(out.length).as("more than one chunk").isGreaterThan(2 * PsListing.CHUNK);
    assertThat(listing.length()).isEqualTo(out.length);
    assertThat(new String(out, "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(many, T)));
    PsListing none = new PsRows().listing(List.of(), T, Map.of());
    assertThat(new String(bytes(none), "UTF-8")).isEqualTo("[]");
    assertThat(none.length()).isEqualTo(2);
  }

  @Test
  void rowsWhoseEntriesMovedAmongTheirNodesAreFoundByTheirIds() throws Exception {
    List<ContainerCache.Entry> listed = new ArrayList<>();
    for (int i = 0; i < 5; i++) listed.add(running("r" + i, "/r" + i, "2026-12-06T09:5" + i + ":00Z"));
    PsRows rows = new PsRows();
    List<PsRows.Hit> first = new ArrayList<>();
    for (int i = 0; i < 5; i++) first.add(new PsRows.Hit(n1, listed.get(i), i));
    assertThat(new String(bytes(rows, first, T, Map.of(n1, listed)), "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(first, T)));
    List<PsRows.Hit> moved = new ArrayList<>(); // the node's entries now come in the other order: no row is at its place
    for (int i = 0; i < 5; i++) moved.add(new PsRows.Hit(n1, listed.get(4 - i), i));
    assertThat(new String(bytes(rows, moved, T, Map.of(n1, listed)), "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(moved, T)));
    assertThat(new String(bytes(rows, first, T, Map.of(n1, listed)), "UTF-8")).isEqualTo(JSON.writeValueAsString(tree(first, T)));
  }

  private static byte[] bytes(PsRows rows, List<PsRows.Hit> hits, Instant now, Map<Node, List<ContainerCache.Entry>> all) throws Exception {
    return bytes(rows.listing(hits, now, all));
  }

  private static byte[] bytes(PsListing listing) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    listing.write(out);
    return out.toByteArray();
  }

  private static ArrayNode tree(List<PsRows.Hit> hits, Instant now) {
    ArrayNode out = JSON.createArrayNode();
    for (PsRows.Hit h : hits) out.add(Listings.asSwarmShowsIt(h.node(), h.entry().listing(now)));
    return out;
  }

  private static List<ContainerCache.Entry> entries(List<PsRows.Hit> hits) {
    return hits.stream().map(PsRows.Hit::entry).toList();
  }

  static Node node(String name, String address) {
    return new Node(NodeName.of(name), "id-" + name, address, NodeState.READY, null, Map.of(), T, T);
  }

  private static ContainerCache.Entry running(String id, String name, String started) throws Exception {
    ObjectNode s = (ObjectNode) JSON.readTree("{\"Id\":\"" + id + "\",\"Names\":[\"" + name + "\"],\"Image\":\"busybox\",\"State\":\"created\","
        + "\"Status\":\"Created\",\"Created\":1796553000,\"Labels\":{\"a\":\"\\u00e9\\\"q\"},\"Ports\":[]}");
    return new ContainerCache.Entry(s, ContainerStatus.of(JSON.readTree("{\"Created\":\"2026-12-06T09:50:00Z\",\"State\":{\"Status\":\"running\","
        + "\"Running\":true,\"StartedAt\":\"" + started + "\",\"FinishedAt\":\"0001-01-01T00:00:00Z\"}}")));
  }

  private static ContainerCache.Entry listed(String id, String name) throws Exception {
    ObjectNode s = (ObjectNode) JSON.readTree("{\"Id\":\"" + id + "\",\"Names\":[\"" + name + "\"],\"State\":\"exited\","
        + "\"Status\":\"Exited (0) 2 hours ago\",\"Created\":1796550000,\"Ports\":[]}");
    return new ContainerCache.Entry(s, null);
  }

  private static ContainerCache.Entry withPort(ContainerCache.Entry e) throws Exception {
    ObjectNode s = e.summary().deepCopy();
    s.set("Ports", JSON.readTree("[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}]"));
    return new ContainerCache.Entry(s, e.status());
  }
}

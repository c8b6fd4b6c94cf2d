package io.berth.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.id.NodeName;
import io.berth.core.scheduler.NodeView.ContainerView;
import io.berth.core.scheduler.PlacementRequest.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  static final long GIB = 1L << 30;
  final Scheduler spread = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(1));

  static NodeView node(String name, Map<String, String> labels, ContainerView... containers) {
    return new NodeView(NodeName.of(name), name + "-id", true, labels, 2, 4 * GIB, List.of(containers), Set.of("berth/busybox:1"));
  }

  static ContainerView container(String name, boolean running, HostPort... ports) {
    return new ContainerView(name + "-id", name, "berth/busybox:1", Map.of(), List.of(ports), running, 0, 0);
  }

  static PlacementRequest request(String... env) {
    SwarmSyntax.Parsed p = SwarmSyntax.parse(List.of(env), Map.of());
    return new PlacementRequest("c", "berth/busybox:1", true, 0, 0, p.constraints(), p.affinities(), List.of(), List.of());
  }

  String place(PlacementRequest r, NodeView... nodes) {
    Plan plan = spread.plan(List.of(r), List.of(nodes));
    return plan.node().map(NodeName::value).orElse("NONE: " + plan.reason());
  }

  /** The node a placement names, as the plain name the assertions compare. */
  static String on(Plan.Placement p) {
    return p.node().value();
  }

  @Test
  void placesOnTheNodeWithFewestContainersWhenSpread() {
    assertThat(place(request(), node("n1", Map.of(), container("a", true)), node("n2", Map.of()))).isEqualTo("n2");
  }

  static PlacementRequest member(String group) {
    return new PlacementRequest(null, "berth/busybox:1", true, 0, 0, List.of(), List.of(), List.of(), List.of(), List.of(),
        new PlacementRequest.Group("io.berth.process-guid", group));
  }

  static ContainerView memberOf(String group, String name) {
    return new ContainerView(name + "-id", name, "berth/busybox:1", Map.of("io.berth.process-guid", group), List.of(), true, 0, 0);
  }

  static Map<String, Long> perNode(Plan plan) {
    return plan.placed().stream().collect(Collectors.groupingBy(SchedulerTest::on, Collectors.counting()));
  }

  /** As Diego's auction: one process guid's instances go apart first, whatever else the nodes hold; then the strategy. */
  @Test
  void aGroupsMembersAreSpreadEvenlyBeforeTheStrategyWeighsTheRest() {
    ContainerView[] busy = new ContainerView[11];
    for (int i = 0; i < busy.length; i++) busy[i] = container("other" + i, true);
    List<NodeView> nodes = List.of(node("n1", Map.of()), node("n2", Map.of(), busy), node("n3", Map.of()));
    List<PlacementRequest> hundred = new ArrayList<>();
    for (int i = 0; i < 100; i++) hundred.add(member("web"));
    for (Strategy s : Strategy.ALL) {
      Plan plan = new Scheduler(Scheduler.FILTERS, s, new Random(7)).plan(hundred, nodes);
      assertThat(perNode(plan).values()).as(s.word()).containsExactlyInAnyOrder(34L, 33L, 33L);
    }
    // Without a group, spread fills the emptier nodes first: the node with 11 others gets 26 of 100.
    List<PlacementRequest> plain = new ArrayList<>();
    for (int i = 0; i < 100; i++) plain.add(request());
    assertThat(perNode(spread.plan(plain, nodes))).containsEntry("n2", 26L);
  }

  @Test
  void aGroupsMembersAlreadyOnANodeCountAndTheFiltersStillRule() {
    // n1 holds two of web already; n3 has no room: the next two go to n2, then the strategy alternates n1 and n2.
    NodeView n1 = node("n1", Map.of(), memberOf("web", "w0"), memberOf("web", "w1"));
    NodeView n2 = node("n2", Map.of(), container("x", true), container("y", true), container("z", true));
    NodeView n3 = new NodeView(NodeName.of("n3"), "n3-id", true, Map.of(), 2, 0, List.of(), Set.of("berth/busybox:1"));
    PlacementRequest big = new PlacementRequest(null, "berth/busybox:1", true, GIB, 0, List.of(), List.of(), List.of(), List.of(),
        List.of(), new PlacementRequest.Group("io.berth.process-guid", "web"));
    Plan plan = spread.plan(List.of(big, big, big, big), List.of(n1, n2, n3));
    assertThat(plan.placed()).extracting(SchedulerTest::on).containsExactly("n2", "n2", "n1", "n2");
    // Another group's members are not this one's.
    assertThat(spread.plan(List.of(member("api")), List.of(n1, n2)).node().map(NodeName::value)).hasValue("n1");
  }

  @Test
  void binpackFillsTheFullestNodeThatStillFits() {
    Scheduler binpack = new Scheduler(Scheduler.FILTERS, Strategy.BINPACK, new Random(1));
    PlacementRequest oneGib = new PlacementRequest("c", "berth/busybox:1", true, GIB, 0, List.of(), List.of(), List.of(), List.of());
    List<NodeView> nodes = List.of(node("n1", Map.of()), node("n2", Map.of()));
    Plan plan = binpack.plan(List.of(oneGib, oneGib, oneGib), nodes);
    assertThat(plan.placed()).extracting(SchedulerTest::on).containsExactly("n1", "n1", "n1");
  }

  @Test
  void spreadIsExactOnLargeClustersWhateverTheSeed() {
    // 200 nodes, every one busy but one: the empty one wins, not merely a good one of a sample.
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      nodes.add(i == 137 ? node(String.format("n%03d", i), Map.of()) : node(String.format("n%03d", i), Map.of(), container("c" + i, true)));
    }
    for (int seed = 0; seed < 20; seed++) {
      Plan plan = new Scheduler(Scheduler.FILTERS, Strategy.SPREAD, new Random(seed)).plan(List.of(request()), nodes);
      assertThat(plan.node().map(NodeName::value)).as("seed " + seed).hasValue("n137");
    }
  }

  @Test
  void aBatchSpreadsEvenlyBeforeAnyNodeGetsASecond() {
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < 100; i++) nodes.add(node(String.format("n%03d", i), Map.of()));
    List<PlacementRequest> batch = new ArrayList<>();
    for (int i = 0; i < 150; i++) batch.add(request());
    Plan plan = spread.plan(batch, nodes);
    Map<String, Long> perNode = plan.placed().stream()
        .collect(Collectors.groupingBy(SchedulerTest::on, Collectors.counting()));
    assertThat(perNode).hasSize(100);
    assertThat(plan.placed().subList(0, 100)).extracting(SchedulerTest::on).doesNotHaveDuplicates();
    assertThat(perNode.values()).allMatch(n -> n == 1 || n == 2);
  }

  @Test
  void binpackIsExactOnLargeClustersAndSkipsNodesThatCannotFit() {
    Scheduler binpack = new Scheduler(Scheduler.FILTERS, Strategy.BINPACK, new Random(3));
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long reserved = i == 42 ? 4 * GIB - (1L << 20) : i == 99 ? 3 * GIB : (i % 3) * (GIB / 2); // n042 is full, n099 the fullest that fits
      ContainerView c = new ContainerView("r" + i, "r" + i, "berth/busybox:1", Map.of(), List.of(), true, reserved, 0);
      nodes.add(node(String.format("n%03d", i), Map.of(), c));
    }
    PlacementRequest halfGib = new PlacementRequest("c", "berth/busybox:1", true, GIB / 2, 0, List.of(), List.of(), List.of(), List.of());
    assertThat(binpack.plan(List.of(halfGib), nodes).node().map(NodeName::value)).hasValue("n099");
  }

  @Test
  void nodesOfDifferentSizesAreComparedByTheShareReserved() {
    // 1 GiB reserved of 4 is emptier than 1 GiB of 2: spread by share, as the order it walks is.
    NodeView small = new NodeView(NodeName.of("small"), "s", true, Map.of(), 2, 2 * GIB,
        List.of(new ContainerView("a", "a", "berth/busybox:1", Map.of(), List.of(), true, GIB, 0)), Set.of("berth/busybox:1"));
    NodeView big = new NodeView(NodeName.of("big"), "b", true, Map.of(), 2, 4 * GIB,
        List.of(new ContainerView("b", "b", "berth/busybox:1", Map.of(), List.of(), true, GIB, 0)), Set.of("berth/busybox:1"));
    assertThat(place(request(), small, big)).isEqualTo("big");
  }

  @Test
  void aSnapshotBuiltFromTheLastKeepsWhatDidNotChangeAndSeesWhatDid() {
    List<NodeView> views = new ArrayList<>();
    for (int i = 0; i < 50; i++) views.add(node(String.format("n%02d", i), Map.of(), container("c" + i, true)));
    views.set(7, node("n07", Map.of()));
    ClusterSnapshot first = ClusterSnapshot.of(views, ClusterSnapshot.of(List.of())); // from nothing, as a manager starts
    assertThat(spread.plan(List.of(request()), first).node().map(NodeName::value)).hasValue("n07");
    ClusterSnapshot again = ClusterSnapshot.of(new ArrayList<>(views), first);
    assertThat(again.nodes[3]).as("the same view: its aggregates are kept").isSameAs(first.nodes[3]);
    assertThat(again.order(Strategy.SPREAD)).isSameAs(first.order(Strategy.SPREAD));
    views.set(7, node("n07", Map.of(), container("x", true), container("y", true))); // n07 filled since
    views.set(20, node("n20", Map.of()));                                            // and n20 emptied
    ClusterSnapshot next = ClusterSnapshot.of(views, again);
    assertThat(next.nodes[3]).isSameAs(first.nodes[3]);
    assertThat(spread.plan(List.of(request()), next).node().map(NodeName::value)).hasValue("n20");
    assertThat(ClusterSnapshot.of(views.subList(0, 10), next).size()).as("nodes gone").isEqualTo(10);
  }

  @Test
  void randomIsRepeatableWithTheSameSeed() {
    List<NodeView> nodes = List.of(node("n1", Map.of()), node("n2", Map.of()), node("n3", Map.of()));
    List<PlacementRequest> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) batch.add(request());
    var a = new Scheduler(Scheduler.FILTERS, Strategy.RANDOM, new Random(7)).plan(batch, nodes);
    var b = new Scheduler(Scheduler.FILTERS, Strategy.RANDOM, new Random(7)).plan(batch, nodes);
    assertThat(a.placed()).extracting(SchedulerTest::on).isEqualTo(b.placed().stream().map(SchedulerTest::on).toList())
        .contains("n1", "n2", "n3");
  }

  @Test
  void constraintsMatchNodeNamesLabelsGlobsAndRegexes() {
    NodeView n1 = node("node1", Map.of("disk", "ssd", "storagedriver", "overlay2"));
    NodeView n2 = node("node2", Map.of("disk", "hdd"));
    assertThat(place(request("constraint:node==node2"), n1, n2)).isEqualTo("node2");
    assertThat(place(request("constraint:node==node2-id"), n1, n2)).as("by id").isEqualTo("node2");
    assertThat(place(request("constraint:node!=node1"), n1, n2)).isEqualTo("node2");
    assertThat(place(request("constraint:disk==ssd"), n2, n1)).isEqualTo("node1");
    assertThat(place(request("constraint:disk==SSD"), n2, n1)).as("case-insensitive").isEqualTo("node1");
    assertThat(place(request("constraint:node==*2"), n1, n2)).isEqualTo("node2");
    assertThat(place(request("constraint:node==/node[2-9]/"), n1, n2)).isEqualTo("node2");
    assertThat(place(request("constraint:storagedriver==overlay*"), n2, n1)).isEqualTo("node1");
    assertThat(place(request("constraint:region!=eu"), n1)).as("absent key != value holds").isEqualTo("node1");
  }

  @Test
  void softConstraintsPreferButNeverExclude() {
    NodeView n1 = node("n1", Map.of("disk", "hdd"), container("a", true));
    NodeView n2 = node("n2", Map.of("disk", "ssd"), container("b", true), container("c", true));
    assertThat(place(request("constraint:disk==~ssd"), n1, n2)).isEqualTo("n2");
    assertThat(place(request("constraint:disk==~nvme"), n1, n2)).as("nobody has it: ignored").isEqualTo("n1");
  }

  @Test
  void affinitiesFollowContainersImagesAndLabels() {
    ContainerView labelled = new ContainerView("w-id", "web", "img", Map.of("tier", "front"), List.of(), true, 0, 0);
    NodeView n1 = node("n1", Map.of());
    NodeView n2 = new NodeView(NodeName.of("n2"), "n2-id", true, Map.of(), 2, 4 * GIB, List.of(labelled, container("x", true)), Set.of("redis:7"));
    assertThat(place(request("affinity:container==web"), n1, n2)).isEqualTo("n2");
    assertThat(place(request("affinity:container!=web"), n2, n1)).isEqualTo("n1");
    assertThat(place(request("affinity:image==redis:7"), n1, n2)).isEqualTo("n2");
    assertThat(place(request("affinity:tier==front"), n1, n2)).isEqualTo("n2");
    assertThat(place(request("affinity:container==~nosuch"), n1, n2)).isEqualTo("n1");
  }

  @Test
  void aHostPortHeldByARunningOrStoppedContainerRulesTheNodeOut() {
    HostPort p80 = new HostPort("", 80, "tcp");
    NodeView n1 = node("n1", Map.of(), container("old", false, p80));
    NodeView n2 = node("n2", Map.of(), container("a", true), container("b", true));
    PlacementRequest wants80 = new PlacementRequest("c", "berth/busybox:1", true, 0, 0, List.of(), List.of(), List.of(p80), List.of());
    assertThat(place(wants80, n1, n2)).isEqualTo("n2");
    PlacementRequest udp = new PlacementRequest("c", "i", true, 0, 0, List.of(), List.of(), List.of(new HostPort("", 80, "udp")), List.of());
    assertThat(place(udp, n1, n2)).as("another protocol is another port").isEqualTo("n1");
  }

  @Test
  void hostNetworkContainersTakeTheirExposedPortsOnTheirNode() {
    HostPort web = HostPort.exposed("8080/tcp");
    assertThat(HostPort.exposed("53")).isEqualTo(new HostPort("", 53, "tcp"));
    assertThatThrownBy(() -> HostPort.exposed("http/tcp")).hasMessage("invalid exposed port 'http/tcp': expected PORT or PORT/PROTOCOL");
    NodeView n1 = node("n1", Map.of(), container("proxy", true, web));
    NodeView n2 = node("n2", Map.of(), container("a", true), container("b", true));
    PlacementRequest hostMode = new PlacementRequest(null, "i", true, 0, 0, List.of(), List.of(), List.of(web), List.of());
    assertThat(place(hostMode, n1, n2)).as("the port is taken on n1, though n1 is emptier").isEqualTo("n2");
    PlacementRequest published = new PlacementRequest(null, "i", true, 0, 0, List.of(), List.of(),
        List.of(new HostPort("127.0.0.1", 8080, "tcp")), List.of());
    assertThat(place(published, n1, n2)).as("a host-network port holds every address").isEqualTo("n2");

    Plan batch = spread.plan(List.of(hostMode, hostMode), List.of(n1, n2));
    assertThat(batch.placed()).extracting(SchedulerTest::on).containsExactly("n2");
    assertThat(batch.unplaced()).singleElement().extracting(Plan.Unplaced::reason).asString()
        .isEqualTo("no node fits: port 8080/tcp in use on n1, n2");
  }

  @Test
  void dependenciesLandWithTheirTarget() {
    NodeView n1 = node("n1", Map.of());
    NodeView n2 = node("n2", Map.of(), container("db", true), container("x", true));
    PlacementRequest linked = new PlacementRequest("app", "i", true, 0, 0, List.of(), List.of(), List.of(), List.of("db"));
    assertThat(place(linked, n1, n2)).isEqualTo("n2");
  }

  @Test
  void aContainerJoiningALocalNetworkLandsOnTheNodeThatHoldsIt() {
    NodeView n1 = node("n1", Map.of());
    NodeView n2 = new NodeView(NodeName.of("n2"), "n2-id", true, Map.of(), 2, 4 * GIB, List.of(container("x", true)),
        Set.of("berth/busybox:1"), Set.of("net-id", "web_default"));
    PlacementRequest joins = new PlacementRequest("app", "berth/busybox:1", true, 0, 0, List.of(), List.of(), List.of(), List.of(),
        List.of("net-id"));
    assertThat(place(joins, n1, n2)).isEqualTo("n2");
    assertThat(place(joins, n1)).isEqualTo("NONE: no node fits: joins network net-id, which is not here on n1");
  }

  @Test
  void aBatchNeverOverbooksANode() {
    PlacementRequest threeGib = new PlacementRequest("c", "i", true, 3 * GIB, 0, List.of(), List.of(), List.of(), List.of());
    Plan plan = spread.plan(List.of(threeGib, threeGib, threeGib), List.of(node("n1", Map.of()), node("n2", Map.of())));
    assertThat(plan.placed()).extracting(SchedulerTest::on).containsExactlyInAnyOrder("n1", "n2");
    assertThat(plan.unplaced()).singleElement().extracting(Plan.Unplaced::reason).asString()
        .contains("not enough memory (1024 MiB free, 3072 MiB asked)");
  }

  @Test
  void cpusAndContainerSlotsAreLimits() {
    PlacementRequest twoCpus = new PlacementRequest("c", "i", true, 0, 1.5, List.of(), List.of(), List.of(), List.of());
    Plan plan = spread.plan(List.of(twoCpus, twoCpus), List.of(node("n1", Map.of())));
    assertThat(plan.placed()).hasSize(1);
    assertThat(plan.unplaced().get(0).reason()).contains("not enough CPUs (0.50 free, 1.50 asked)");
    NodeView full = node("n1", Map.of("containerslots", "1"), container("a", true));
    assertThat(place(request(), full)).isEqualTo("NONE: no node fits: all 1 container slots used on n1");
  }

  @Test
  void anImageThatCannotBePulledSteersToTheNodesThatHaveIt() {
    NodeView has = new NodeView(NodeName.of("n2"), "n2-id", true, Map.of(), 2, 4 * GIB, List.of(container("a", true)), Set.of("app:v1"));
    PlacementRequest r = new PlacementRequest("c", "app:v1", false, 0, 0, List.of(), List.of(), List.of(), List.of());
    assertThat(place(r, node("n1", Map.of()), has)).isEqualTo("n2");
  }

  @Test
  void downNodesAreNeverChosen() {
    NodeView down = new NodeView(NodeName.of("n1"), "n1-id", false, Map.of(), 2, 4 * GIB, List.of(), Set.of());
    assertThat(place(request(), down)).isEqualTo("NONE: no node fits: node down on n1");
  }

  @Test
  void theReasonSaysWhyPerFilterGroupedOverNodes() {
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 1; i <= 4; i++) nodes.add(node("n" + i, Map.of()));
    nodes.add(node("n9", Map.of("disk", "ssd"), container("web", true, new HostPort("", 80, "tcp"))));
    PlacementRequest r = new PlacementRequest("c", "i", true, 0, 0, List.of(Expr.parse("constraint", "disk==ssd")), List.of(),
        List.of(new HostPort("", 80, "tcp")), List.of());
    assertThat(spread.plan(List.of(r), nodes).reason())
        .isEqualTo("no node fits: constraint disk==ssd not met (4 nodes); port 80/tcp in use on n9");
    assertThat(spread.plan(List.of(r), List.of()).reason()).isEqualTo("no node fits: there are no nodes");
  }

  @Test
  void onlyTheChosenFiltersRun() {
    Scheduler noPorts = new Scheduler(List.of("health"), Strategy.SPREAD, new Random(1));
    NodeView n1 = node("n1", Map.of("disk", "hdd"));
    assertThat(noPorts.plan(List.of(request("constraint:disk==ssd")), List.of(n1)).node().map(NodeName::value)).contains("n1");
    assertThatThrownBy(() -> new Scheduler(List.of("nosuch"), Strategy.SPREAD, new Random(1)))
        .hasMessageContaining("unknown filter 'nosuch'");
    assertThatThrownBy(() -> Strategy.of("fancy")).hasMessageContaining("choose spread, binpack or random");
  }
}

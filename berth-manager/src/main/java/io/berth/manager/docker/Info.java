package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.node.NodeState;
import io.berth.core.scheduler.Scheduler;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /version} and {@code /info} for the whole cluster, with Swarm's {@code SystemStatus} rows. */
final class Info {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final Scheduler scheduler;
  private final String managerName;
  private final NodeTallies tallies = new NodeTallies();

  Info(ClusterView cluster, Scheduler scheduler, String managerName) {
    this.cluster = cluster;
    this.scheduler = scheduler;
    this.managerName = managerName;
  }

  ObjectNode version() {
    ObjectNode v = JSON.createObjectNode();
    v.putObject("Platform").put("Name", "Berth");
    v.put("Version", "berth/" + berthVersion());
    v.put("ApiVersion", DockerEndpoint.API_VERSION);
    v.put("MinAPIVersion", "1.12");
    v.put("Os", "linux");
    v.put("Arch", "amd64");
    v.put("GoVersion", "java" + Runtime.version().feature());
    v.put("GitCommit", "");
    v.put("KernelVersion", System.getProperty("os.version"));
    return v;
  }

  ObjectNode info() {
    List<ClusterView.Held> held = cluster.held();
    Map<NodeName, NodeTallies.Tally> counted = tallies.of(held);
    ArrayNode status = JSON.createArrayNode();
    status.add(pair("Strategy", scheduler.strategy().word()));
    status.add(pair("Filters", String.join(", ", scheduler.filters())));
    List<Node> nodes = new ArrayList<>(cluster.nodesIncludingDown());
    status.add(pair("Nodes", Integer.toString(nodes.size())));
    Totals totals = new Totals();
    for (Node n : nodes) nodeRows(n, counted.getOrDefault(n.name(), NodeTallies.Tally.NONE), status, totals);
    ObjectNode i = JSON.createObjectNode();
    i.put("ID", managerName);
    i.put("Name", managerName);
    i.put("Containers", totals.containers);
    i.put("ContainersRunning", totals.running);
    i.put("ContainersPaused", 0);
    i.put("ContainersStopped", totals.containers - totals.running);
    i.put("Images", cluster.images(held.stream().map(ClusterView.Held::node).toList()).values().stream().mapToInt(JsonNode::size).sum());
    i.put("Driver", "");
    i.set("SystemStatus", status);
    i.put("NCPU", totals.cpus);
    i.put("MemTotal", totals.memory);
    i.put("OperatingSystem", "Berth");
    i.put("OSType", "linux");
    i.put("Architecture", "x86_64");
    i.put("ServerVersion", "berth/" + berthVersion());
    i.put("KernelVersion", System.getProperty("os.version"));
    i.putArray("Labels");
    i.putObject("Swarm").put("LocalNodeState", "inactive");
    return i;
  }

  /** What the ready nodes add up to. */
  private static final class Totals {
    int containers;
    int running;
    int cpus;
    long memory;
  }

  /** One node's {@code SystemStatus} rows (Swarm's), its counts added to the totals when it is ready. */
  private static void nodeRows(Node n, NodeTallies.Tally t, ArrayNode status, Totals totals) {
    int count = t.count();
    int up = t.up();
    long reservedMem = t.reservedMem();
    double reservedCpus = t.reservedCpus();
    if (n.state() == NodeState.READY) {
      totals.containers += count;
      totals.running += up;
      totals.cpus += n.engine().cpus();
      totals.memory += n.engine().memoryBytes();
    }
    List<String> labels = new ArrayList<>();
    n.labels().forEach((k, v) -> labels.add(k + "=" + v));
    labels.sort(null);
    status.add(pair(" " + n.name(), n.address()));
    status.add(pair("  └ Status", n.state() == NodeState.READY ? "Healthy" : "Unhealthy"));
    status.add(pair("  └ Containers", Integer.toString(count)));
    status.add(pair("  └ Reserved CPUs", fmt(reservedCpus) + " / " + n.engine().cpus()));
    status.add(pair("  └ Reserved Memory", bytes(reservedMem) + " / " + bytes(n.engine().memoryBytes())));
    status.add(pair("  └ Labels", String.join(", ", labels)));
    status.add(pair("  └ ServerVersion", n.engine().engineVersion()));
  }

  private static ArrayNode pair(String k, String v) {
    ArrayNode a = JSON.createArrayNode();
    a.add(k);
    a.add(v);
    return a;
  }

  private static String fmt(double cpus) {
    return cpus == Math.floor(cpus) ? Long.toString((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus);
  }

  static String bytes(long b) {
    if (b >= 1L << 30) return String.format(Locale.ROOT, "%.3f GiB", b / (double) (1L << 30));
    if (b >= 1L << 20) return String.format(Locale.ROOT, "%.3f MiB", b / (double) (1L << 20));
    return b + " B";
  }

  private static String berthVersion() {
    String v = Info.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

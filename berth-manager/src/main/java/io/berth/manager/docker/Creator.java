package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.id.NodeName;
import io.berth.core.node.Node;
import io.berth.core.scheduler.ClusterSnapshot;
import io.berth.core.scheduler.NodeView;
import io.berth.core.scheduler.PlacementRequest;
import io.berth.core.scheduler.Plan;
import io.berth.core.scheduler.Scheduler;
import io.berth.core.scheduler.SwarmSyntax;
import io.berth.engine.DockerJson;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.NodeLink;
import io.berth.manager.fleet.Ownership;
import io.berth.manager.metrics.BerthMetrics;
import io.berth.manager.plan.PlanLock;
import io.berth.manager.plan.Reservation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /containers/create}: reads Swarm's constraints and affinities out of the request,
 * asks the scheduler for a node, and creates the container there. Creates plan inside the cluster's one
 * plan step ({@link PlanLock}, which LRP placements share), so that two concurrent {@code docker run}s on
 * any managers never both see a node's last free slot, port or name, and the plan counts the instances
 * the leader claimed whose containers the cache does not show yet. The name is also reserved in the
 * store ({@link ContainerNames}).
 */
final class Creator {
  private static final ObjectMapper JSON = DockerJson.MAPPER;
  private final ClusterView cluster;
  private final NodeLink link;
  private final Scheduler scheduler;
  private static final long SLOW_NANOS = 1_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(Creator.class);
  /** The snapshot the last placement used; guarded by the plan step. */
  private ClusterSnapshot last = ClusterSnapshot.of(List.of());

  private final PlanLock planLock;
  private final ContainerNames names;

  Creator(ClusterView cluster, NodeLink link, Scheduler scheduler, PlanLock planLock, ContainerNames names) {
    this.cluster = cluster;
    this.link = link;
    this.scheduler = scheduler;
    this.planLock = planLock;
    this.names = names;
  }

  /** Creates the container the request describes, labelled {@code io.berth.owner=owner}; the node's answer. */
  NodeLink.Response create(CreateRequest request, String owner) {
    String image = request.image();
    if (image.isEmpty()) throw new BerthException.Invalid("no image given: the create request needs \"Image\"");
    ObjectNode body = request.body();
    SwarmSyntax.Parsed swarm = SwarmSyntax.parse(strings(body.path("Env")), labels(body.path("Labels")));
    JsonNode host = request.host();
    long memory = host.path("Memory").asLong(0);
    double cpus = host.path("NanoCpus").asLong(0) > 0 ? host.path("NanoCpus").asLong() / 1e9 : host.path("CpuShares").asLong(0);
    List<PlacementRequest.HostPort> ports = hostPorts(body, host, () -> cluster.exposedPorts(image)); // before the plan step: it may ask a node
    long asked = System.nanoTime();
    return planLock.holding(() -> createHeld(request, swarm, memory, cpus, ports, owner, asked));
  }

  /** The create itself, holding the plan step: read the cluster, reserve the name, plan, create, record. */
  private NodeLink.Response createHeld(CreateRequest request, SwarmSyntax.Parsed swarm, long memory, double cpus,
      List<PlacementRequest.HostPort> ports, String owner, long asked) {
    long t0 = System.nanoTime();
    String name = request.name();
    List<ClusterView.Held> held = cluster.held();
    if (name != null && !name.isEmpty() && cluster.nameTaken(name, held.stream().map(ClusterView.Held::entries).toList())) {
      throw ContainerNames.inUse(name);
    }
    long viewed = System.nanoTime();
    Optional<ContainerNames.Reserved> reserved = names.reserve(name);
    long reservedAt = System.nanoTime();
    boolean made = false;
    try {
      long t1 = System.nanoTime();
      List<NodeView> views = Reservation.overlay(cluster.snapshot(held), planLock.pending());
      String image = request.image();
      boolean someNodeHasIt = views.stream().anyMatch(v -> v.images().contains(image) || v.images().contains(image + ":latest"));
      List<String> joined = NetworkPlacement.joined(cluster, request.body(), swarm.constraints(), held); // renames NODE/NAME too
      PlacementRequest placement = new PlacementRequest(name, image, !someNodeHasIt, memory, cpus, swarm.constraints(),
          swarm.affinities(), ports, dependencies(request.host()), joined);
      Node node = chosen(plan(placement, views), held);
      long t2 = System.nanoTime();
      String target = "/v" + DockerEndpoint.API_VERSION + "/containers/create" + (request.query().isEmpty() ? "" : "?" + request.query());
      ObjectNode sent = labelled(request.body(), swarm, memory, cpus, owner);
      NodeLink.Response r = link.call(node, "POST", target, JSON.writeValueAsBytes(sent));
      long t3 = System.nanoTime();
      if (r.status() == 201) {
        String id = JSON.readTree(r.body()).path("Id").asText();
        // Read while the answer goes out; readers of the node wait for it, a lookup of its id does not.
        cluster.cache().created(node, id, labels(sent.path("Labels")));
        planLock.created(node.name(), id);
        names.created(reserved, node.name(), id);
        made = true;
      }
      long t4 = System.nanoTime();
      // Where a create's time goes, in microseconds: waiting for and entering the plan step (on a shared store: the lock
      // and the journal read), the cluster's view, the name's reservation, the plan, the node's create, and what follows it.
      log.debug("docker-create-timing node={} lock={} view={} name={} plan={} create={} after={}", node.name(), (t0 - asked) / 1000,
          (viewed - t0) / 1000, (reservedAt - viewed) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000, (t4 - t3) / 1000);
      if (t4 - t0 > SLOW_NANOS) {
        log.info("docker-create-slow node={} ms={} read={} plan={} create={} refresh={} nodes={}", node.name(), (t4 - t0) / 1_000_000,
            (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, held.size());
      }
      return r;
    } catch (IOException e) {
      throw new BerthException.Unavailable("the create answer could not be read: " + e.getMessage());
    } finally {
      if (!made) names.release(reserved);
    }
  }

  /** The body as the node gets it: Swarm's syntax taken out of Env and Labels, the reservation and the owner labelled. */
  private static ObjectNode labelled(ObjectNode body, SwarmSyntax.Parsed swarm, long memory, double cpus, String owner) {
    ArrayNode env = JSON.createArrayNode();
    swarm.env().forEach(env::add);
    body.set("Env", env);
    ObjectNode labels = JSON.createObjectNode();
    swarm.labels().forEach(labels::put);
    if (memory > 0) labels.put(ClusterView.MEMORY_LABEL, Long.toString(memory));
    if (cpus > 0) labels.put(ClusterView.CPUS_LABEL, Double.toString(cpus));
    labels.put(Ownership.OWNER, owner);
    body.set("Labels", labels);
    return body;
  }

  /** The node the plan chose, or the scheduler's explanation of why none fits. */
  private static Node chosen(Plan plan, List<ClusterView.Held> held) {
    NodeName nodeName = plan.node().orElseThrow(() -> new BerthException.Conflict("NoNodeFits", plan.reason()));
    return held.stream().map(ClusterView.Held::node).filter(n -> n.name().equals(nodeName)).findFirst().orElseThrow();
  }

  /**
   * Chooses a node for something that is not a container (a build): the same view, scheduler and
   * explanation as a create, under the same lock.
   */
  Node place(Function<List<NodeView>, PlacementRequest> request) {
    return planLock.holding(() -> {
      List<ClusterView.Held> held = cluster.held();
      List<NodeView> views = Reservation.overlay(cluster.snapshot(held), planLock.pending());
      return chosen(plan(request.apply(views), views), held);
    });
  }

  /** Plans on a snapshot built from the last one: the aggregates of nodes whose view did not change are kept. Under the lock. */
  private Plan plan(PlacementRequest request, List<NodeView> views) {
    last = ClusterSnapshot.of(views, last);
    long t0 = System.nanoTime();
    Plan plan = scheduler.plan(List.of(request), last);
    BerthMetrics.planned("docker", plan, System.nanoTime() - t0);
    return plan;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : array) out.add(s.asText());
    return out;
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    return out;
  }

  /**
   * The host ports a create takes. On the host's network ({@code --net=host}) that is every port it exposes
   * ({@code --expose}) and every port its image exposes, as Swarm's port filter held them (the engine drops
   * {@code -p} there); otherwise the ports it publishes.
   */
  static List<PlacementRequest.HostPort> hostPorts(JsonNode body, JsonNode host, Supplier<List<String>> imageExposed) {
    if (!host.path("NetworkMode").asText("").equals("host")) return ports(host.path("PortBindings"));
    Set<PlacementRequest.HostPort> out = new LinkedHashSet<>();
    try {
      body.path("ExposedPorts").fieldNames().forEachRemaining(p -> out.add(PlacementRequest.HostPort.exposed(p)));
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid(e.getMessage());
    }
    for (String p : imageExposed.get()) out.add(PlacementRequest.HostPort.exposed(p));
    return List.copyOf(out);
  }

  /** Host ports asked for in {@code PortBindings}: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}. */
  static List<PlacementRequest.HostPort> ports(JsonNode bindings) {
    List<PlacementRequest.HostPort> out = new ArrayList<>();
    bindings.fields().forEachRemaining(f -> {
      String proto = f.getKey().contains("/") ? f.getKey().substring(f.getKey().indexOf('/') + 1) : "tcp";
      for (JsonNode b : f.getValue()) {
        String hp = b.path("HostPort").asText("");
        if (!hp.isEmpty() && !hp.equals("0")) {
          try {
            out.add(new PlacementRequest.HostPort(b.path("HostIp").asText(""), Integer.parseInt(hp), proto));
          } catch (NumberFormatException e) {
            throw new BerthException.Invalid("invalid host port '" + hp + "' for " + f.getKey());
          }
        }
      }
    });
    return out;
  }

  /** Containers that must share the node: links, volumes-from, and a container network. */
  static List<String> dependencies(JsonNode host) {
    List<String> out = new ArrayList<>();
    for (JsonNode l : host.path("Links")) out.add(strip(l.asText().split(":")[0]));
    for (JsonNode v : host.path("VolumesFrom")) out.add(strip(v.asText().split(":")[0]));
    String net = host.path("NetworkMode").asText("");
    if (net.startsWith("container:")) out.add(strip(net.substring("container:".length())));
    return out;
  }

  private static String strip(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }
}

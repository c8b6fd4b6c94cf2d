package io.berth.manager.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.node.Node;
import io.berth.core.scheduler.Expr;
import io.berth.manager.fleet.ClusterView;
import io.berth.manager.fleet.ContainerCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The local networks a container create joins ({@code --net NAME}, {@code NetworkingConfig.EndpointsConfig} with
 * its aliases, as compose sends them), resolved to the one node that holds them all. The scheduler's dependency
 * filter then keeps the container there; a combination no node can hold (networks of two nodes, a link to a
 * container elsewhere, a node constraint that excludes the network's node) is a 400 naming the reason.
 */
final class NetworkPlacement {
  /** Network modes that name no user network: each node has its own. */
  private static final Set<String> PER_NODE = Set.of("", "default", "bridge", "host", "none");

  private NetworkPlacement() {}

  /** {@link #joined(ObjectNode, List, List, Supplier)} over the networks of the nodes held, from the cache where in step. */
  static List<String> joined(ClusterView cluster, ObjectNode body, List<Expr> constraints, List<ClusterView.Held> held) {
    // From the cache only: the scheduler's views hold what it holds, so a network found elsewhere could not be placed on.
    return joined(body, constraints, held, () -> Networks.of(cluster.networks(held.stream().map(ClusterView.Held::node).toList())));
  }

  /**
   * The engine ids of the networks {@code body} joins, with each {@code NODE/NAME} in it rewritten to the name the
   * node's engine knows; {@code networks} is read only when it joins some.
   */
  static List<String> joined(ObjectNode body, List<Expr> constraints, List<ClusterView.Held> held, Supplier<Networks> networks) {
    Set<String> refs = referenced(body);
    if (refs.isEmpty()) return List.of();
    Networks known = networks.get();
    Map<String, Networks.Network> found = new LinkedHashMap<>();
    for (String ref : refs) found.put(ref, known.find(ref));
    Networks.Network first = found.values().iterator().next();
    Node node = first.node();
    for (Networks.Network n : found.values()) {
      if (!n.node().name().equals(node.name())) {
        throw new BerthException.Invalid("network " + first.name() + " is on " + node.name() + ", network " + n.name() + " on "
            + n.node().name() + ": a container joins the local networks of one node only");
      }
    }
    for (String dep : Creator.dependencies(body.path("HostConfig"))) {
      Optional<Node> at = nodeOf(dep, held);
      if (at.isPresent() && !at.get().name().equals(node.name())) {
        throw new BerthException.Invalid("network " + first.name() + " is on " + node.name() + ", container " + dep + " on "
            + at.get().name() + ": a container joins a local network on that network's node");
      }
    }
    for (Expr e : constraints) {
      if (e.key().equals("node") && !e.soft() && !e.matchesAny(List.of(node.name().value(), node.id()))) {
        throw new BerthException.Invalid("network " + first.name() + " is on " + node.name() + ", but the constraint " + e
            + " excludes that node");
      }
    }
    rename(body, found);
    return found.values().stream().map(Networks.Network::id).distinct().toList();
  }

  /** The user networks named by {@code HostConfig.NetworkMode} and {@code NetworkingConfig.EndpointsConfig}. */
  static Set<String> referenced(JsonNode body) {
    Set<String> out = new LinkedHashSet<>();
    String mode = body.path("HostConfig").path("NetworkMode").asText("");
    if (!PER_NODE.contains(mode) && !mode.startsWith("container:")) out.add(mode);
    body.path("NetworkingConfig").path("EndpointsConfig").fieldNames().forEachRemaining(n -> {
      if (!PER_NODE.contains(n)) out.add(n);
    });
    return out;
  }

  /** The engine knows its networks by plain name: {@code NODE/NAME} and ids become that name. */
  private static void rename(ObjectNode body, Map<String, Networks.Network> found) {
    if (body.path("HostConfig") instanceof ObjectNode host && found.containsKey(host.path("NetworkMode").asText(""))) {
      host.put("NetworkMode", found.get(host.path("NetworkMode").asText()).name());
    }
    if (body.path("NetworkingConfig").path("EndpointsConfig") instanceof ObjectNode endpoints) {
      List<String> names = new ArrayList<>();
      endpoints.fieldNames().forEachRemaining(names::add);
      ObjectNode renamed = endpoints.objectNode();
      for (String n : names) renamed.set(found.containsKey(n) ? found.get(n).name() : n, endpoints.get(n));
      ((ObjectNode) body.path("NetworkingConfig")).set("EndpointsConfig", renamed);
    }
  }

  /** The node of the container {@code ref} names (name or id), if the cluster's view shows it. */
  private static Optional<Node> nodeOf(String ref, List<ClusterView.Held> held) {
    for (ClusterView.Held h : held) {
      for (ContainerCache.Entry e : h.entries()) {
        if (e.id().equals(ref) || (ref.length() >= 12 && e.id().startsWith(ref))) return Optional.of(h.node());
        for (JsonNode name : e.summary().path("Names")) if (name.asText().equals("/" + ref)) return Optional.of(h.node());
      }
    }
    return Optional.empty();
  }
}
